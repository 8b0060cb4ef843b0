using System.Text.Json.Nodes;
using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Commands;

/// <summary>The leads' card after a reload that lists the messages changed after they were sent, each with Update and Leave buttons.</summary>
public static class CorrectionCards
{
    public const string UpdateVerb = "corrections.update";
    public const string LeaveVerb = "corrections.leave";

    /// <summary>The card in <paramref name="language"/> (Adaptive Cards 1.5; the buttons gather no inputs).</summary>
    public static JsonObject Notice(CommandTexts texts, string language, IReadOnlyList<MessageCheck> changed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(changed);
        var body = new List<JsonNode> { CommandCards.Title(texts.Get(language, "correct.noticeTitle")), CommandCards.Text(texts.Get(language, "correct.noticeIntro")) };
        foreach (var check in changed)
        {
            var data = new JsonObject { ["messageId"] = check.MessageId, ["noticeKey"] = check.NoticeKey };
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray(
                    CommandCards.Text(texts.Format(language, "correct.noticeLine", check.MessageId, check.Changed, check.Live)),
                    new JsonObject
                    {
                        ["type"] = "ActionSet",
                        ["actions"] = new JsonArray(
                            CommandCards.Execute(texts.Get(language, "correct.buttonUpdate"), UpdateVerb, data, "positive"),
                            CommandCards.Execute(texts.Get(language, "correct.buttonLeave"), LeaveVerb, data.DeepClone().AsObject())),
                    }),
            });
        }
        return CommandCards.Card(body);
    }
}

using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// The bot's lead cards: <see cref="FromTemplate"/> binds a template in Cards/Templates (status, plan, confirmation); the
/// building blocks below lay out the few cards still made in code (help buttons, the preview frame).
/// </summary>
public static class CommandCards
{
    public const string RunVerb = "run";
    public const string ConfirmVerb = "confirm";
    public const string DeclineVerb = "decline";

    /// <summary>
    /// A lead card from a template in Cards/Templates bound with <c>{ lang, strings, view }</c>: the strings of
    /// <paramref name="language"/> and the values the command computed.
    /// </summary>
    public static JsonObject FromTemplate(string templateId, string language, JsonObject view)
    {
        var lang = CardStrings.Normalize(language);
        var root = new JsonObject { ["lang"] = lang, ["strings"] = CardStrings.All(lang), ["view"] = view };
        var template = CardResources.Load($"Cards/Templates/{templateId}.json")
            ?? throw new InvalidOperationException($"Card template Cards/Templates/{templateId}.json is not embedded in the build.");
        return (JsonObject)CardTemplate.Expand(template, root)!;
    }

    public static JsonObject Card(IEnumerable<JsonNode> body, IEnumerable<JsonNode>? actions = null)
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = new JsonArray([.. body]),
        };
        var list = actions?.ToList() ?? [];
        if (list.Count > 0)
        {
            card["actions"] = new JsonArray([.. list]);
        }
        return card;
    }

    public static JsonObject Title(string text) =>
        new() { ["type"] = "TextBlock", ["text"] = text, ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true };

    public static JsonObject Heading(string text) =>
        new() { ["type"] = "TextBlock", ["text"] = text, ["weight"] = "Bolder", ["wrap"] = true, ["spacing"] = "Medium" };

    public static JsonObject Text(string text, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (subtle)
        {
            block["isSubtle"] = true;
        }
        return block;
    }

    /// <summary>A button that runs a command as the clicking lead (verb <c>run</c>, data <c>{ command }</c>).</summary>
    public static JsonObject RunButton(string title, string command, string? style = null) =>
        Execute(title, RunVerb, new JsonObject { ["command"] = command }, style);

    public static JsonObject Execute(string title, string verb, JsonObject data, string? style = null)
    {
        // Action.Submit as fallback for clients without Universal Actions: it arrives as a message with the same data.
        var fallbackData = data.DeepClone().AsObject();
        fallbackData["verb"] = verb;
        // The bot's own buttons carry everything in data: they gather no inputs, so an input of a card preview on the
        // same card (required ones) can neither block the click nor be sent with it.
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = verb,
            ["data"] = data,
            ["associatedInputs"] = "none",
            ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = fallbackData, ["associatedInputs"] = "none" },
        };
        if (style is not null)
        {
            action["style"] = style;
        }
        return action;
    }
}

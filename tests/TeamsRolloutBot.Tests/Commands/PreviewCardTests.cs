using System.Text.Json.Nodes;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// The message previews the lead sees (in <c>preview</c> and in a confirmation card) through the real bot: the card as
/// it will be sent, but no button in it acts, and the lead's own buttons (Confirm, Status, ...) gather no inputs, so
/// nothing in a preview can block them.
/// </summary>
public sealed class PreviewCardTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Theory]
    [InlineData("send enroll to main now", "en-US", "Time to enroll your devices")]
    [InlineData("verstuur enroll naar main nu", "nl-NL", "Tijd om je apparaten te registreren")]
    [InlineData("wave start main now", "en-US", "Get ready: enrollment starts soon")]
    public async Task The_confirmation_card_shows_the_preview_but_only_Confirm_and_Cancel_act_and_they_gather_no_inputs(string text, string locale, string previewTitle)
    {
        var reply = await bot.AskAsync(text, locale: locale);

        Assert.Contains(previewTitle, reply.Text, StringComparison.Ordinal);
        var card = reply.Card!;
        Assert.Equal(["confirm", "decline"], Acting(card).Select(a => (string)a["verb"]!));
        Assert.All(Acting(card), GathersNoInputs);
        Assert.DoesNotContain(Objects(card), o => o.ContainsKey("isRequired"));
        // The enrollment preview has all its platform panels open: its platform buttons cannot open them there.
        Assert.DoesNotContain(Objects(card), o => (bool?)o["isVisible"] == false);
    }

    [Theory]
    [InlineData("preview enroll", "Preview: enroll", "The card as it will be sent.", "iPhone and iPad")]
    [InlineData("voorbeeld enroll nl", "Voorbeeld: enroll", "De kaart zoals die wordt verstuurd.", "iPhone en iPad")]
    public async Task Preview_shows_the_card_with_every_button_disabled(string text, string title, string note, string ios)
    {
        var reply = await bot.AskAsync(text, locale: text.StartsWith("voorbeeld", StringComparison.Ordinal) ? "nl-NL" : "en-US");

        Assert.Contains(title, reply.Text, StringComparison.Ordinal);
        Assert.Contains(note, reply.Text, StringComparison.Ordinal);
        var card = reply.Card!;
        Assert.Empty(Acting(card));
        var platformButtons = Objects(card).Where(o => (string?)o["type"] == "Action.ToggleVisibility").ToList();
        Assert.Equal(["Windows", ios], platformButtons.Select(b => (string)b["title"]!));
        Assert.All(platformButtons, b => Assert.Equal(false, (bool?)b["isEnabled"]));
        Assert.DoesNotContain(Objects(card), o => (bool?)o["isVisible"] == false);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("plan")]
    [InlineData("status")]
    [InlineData("status main")]
    public async Task The_bots_own_buttons_gather_no_inputs(string text)
    {
        var reply = await bot.AskAsync(text);

        var buttons = Acting(reply.Card!);
        Assert.NotEmpty(buttons);
        Assert.All(buttons, GathersNoInputs);
    }

    /// <summary>Every button that reaches the bot (not the fallbacks: they belong to their button).</summary>
    private static List<JsonObject> Acting(JsonObject card) =>
        [.. Objects(card).Where(o => (string?)o["type"] is "Action.Execute" or "Action.Submit" or "Action.ShowCard" && o.Parent is JsonArray)];

    private static void GathersNoInputs(JsonObject button)
    {
        Assert.Equal("none", (string?)button["associatedInputs"]);
        if (button["fallback"] is JsonObject fallback)
        {
            Assert.Equal("none", (string?)fallback["associatedInputs"]);
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode node) => Cards.CardJson.Objects(node);
}

using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary>
/// The message fields docs/plan-format.md and docs/cards.md describe: each is shown on the card in both languages,
/// refused with its line and field when malformed, or a warning naming it when the card does not show it.
/// Plans go through the loader, <see cref="PlanCards"/> and the renderer, as in the bot.
/// </summary>
public sealed class PlanFieldsTests
{
    private static string Parameters(string template, string parameters) => DocExamples.PlanWith($"parameters for {template}", parameters);

    private static (RolloutPlan Plan, PlanLoadResult Result) Load(string yaml)
    {
        var result = PlanFixtures.Parse(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        return (result.Plan!, result);
    }

    private static JsonObject Card(RolloutPlan plan, string language, string messageId = "example")
    {
        var message = PlanCards.Find(plan, messageId)!;
        return CardRenderer.Render(message.TemplateId, message.Data.ToJson(), language);
    }

    /// <summary>
    /// 1-based line and column of the first occurrence of <paramref name="text"/> in <paramref name="yaml"/>; a '^' in
    /// the text marks the position within it (<c>"- ^windows"</c>).
    /// </summary>
    private static (int Line, int Column) At(string yaml, string text)
    {
        var caret = Math.Max(0, text.IndexOf('^', StringComparison.Ordinal));
        var index = yaml.IndexOf(text.Replace("^", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{text}' is not in the plan");
        index += caret;
        var before = yaml[..index];
        return (before.Count(c => c == '\n') + 1, index - before.LastIndexOf('\n'));
    }

    private static IEnumerable<JsonObject> All(JsonNode? node, string type) => Cards.CardJson.OfType(node, type);

    private static List<string> Texts(JsonNode card) => [.. All(card, "TextBlock").Select(t => (string)t["text"]!)];

    private static List<(string? Title, string? Value)> Facts(JsonNode card) =>
        [.. All(card, "FactSet").SelectMany(f => f["facts"]!.AsArray()).Select(f => ((string?)f!["title"], (string?)f["value"]))];

    private static List<JsonObject> PlatformPanels(JsonNode card) =>
        [.. All(card, "Container").Where(c => ((string?)c["id"])?.StartsWith("platform-", StringComparison.Ordinal) == true)];

    // ---- per-platform instructions ---------------------------------------------------------------------------------

    private const string OwnWindowsSteps = """
        parameters:
          platforms:
            - id: windows
              steps:
                nl: [Open Instellingen., Kies Toegang tot werk of school.]
                en: [Open Settings., Choose Access work or school.]
              guideUrl: https://contoso.example/intune-windows
            - android
        """;

    [Theory]
    [InlineData("nl", "Open Instellingen.", "Kies Toegang tot werk of school.", "Installeer Intune Bedrijfsportal uit Google Play (knop hieronder).")]
    [InlineData("en", "Open Settings.", "Choose Access work or school.", "Install Intune Company Portal from Google Play (button below).")]
    public void Enrollment_shows_a_platforms_own_steps_and_guide_in_the_cards_language(string lang, string step1, string step2, string androidStep)
    {
        var (plan, _) = Load(Parameters("enrollment", OwnWindowsSteps));

        var card = Card(plan, lang);

        var panels = PlatformPanels(card);
        Assert.Equal(["platform-windows", "platform-android"], panels.Select(p => (string)p["id"]!));
        var showing = CardStrings.Text(lang, "enrollment.showing", new Dictionary<string, string> { ["platform"] = "Windows" });
        Assert.Equal([showing, "1.", step1, "2.", step2], Texts(panels[0]));
        Assert.Contains(All(panels[0], "Action.OpenUrl"), a => (string?)a["url"] == "https://contoso.example/intune-windows"
            && (string?)a["title"] == CardStrings.Text(lang, "enrollment.guideButton"));
        Assert.Contains(All(panels[0], "Action.OpenUrl"), a => (string?)a["url"] == "https://apps.microsoft.com/detail/9WZDNCRFJ3PZ");
        // The hidden panel is in the card too, so an e-mail made from the card has every platform's steps.
        Assert.False((bool)panels[1]["isVisible"]!);
        Assert.Contains(androidStep, Texts(panels[1]));
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    public void Reminder_with_platforms_shows_the_steps_per_platform_and_says_so(string lang)
    {
        var (plan, _) = Load(Parameters("reminder", "parameters:\n  platforms: [ios, macos]\n"));

        var card = Card(plan, lang);

        Assert.Equal(["platform-ios", "platform-macos"], PlatformPanels(card).Select(p => (string)p["id"]!));
        Assert.Equal([CardStrings.Text(lang, "platforms.ios.name"), CardStrings.Text(lang, "platforms.macos.name")],
            All(card, "Action.ToggleVisibility").Select(t => (string)t["title"]!));
        Assert.Contains(CardStrings.Text(lang, "platforms.macos.step1"), Texts(card));
        Assert.Contains(CardStrings.Text(lang, "reminder.textWithPlatforms"), Texts(card));
    }

    [Fact]
    public void Reminder_without_platforms_has_no_platform_sections()
    {
        var (plan, _) = Load(Parameters("reminder", "parameters:\n  deadline: 2027-07-30\n"));

        var card = Card(plan, "en");

        Assert.Empty(PlatformPanels(card));
        Assert.Empty(All(card, "Action.ToggleVisibility"));
        Assert.Contains(CardStrings.Text("en", "reminder.text"), Texts(card));
    }

    [Fact]
    public void Platforms_written_as_a_map_are_refused_with_the_list_form_as_fix()
    {
        var yaml = Parameters("enrollment", "parameters:\n  platforms: { windows: https://contoso.example/w, ios: https://contoso.example/i }\n");

        var error = Assert.Single(PlanFixtures.Parse(yaml).Errors);

        Assert.Equal((At(yaml, "{ windows"), "messages[0].parameters.platforms"), ((error.Line, error.Column), error.Field));
        Assert.Equal("platforms is a list of platforms, not a map", error.Message);
        Assert.StartsWith("write platforms: [windows, ios]", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- android", "- id: linux", "- id: ^linux", "messages[0].parameters.platforms[1].id", "unknown platform 'linux'")]
    [InlineData("- android", "- windows", "    - ^windows", "messages[0].parameters.platforms[1]", "platform 'windows' is listed twice")]
    [InlineData("guideUrl: https://contoso.example/intune-windows", "guideUrl: contoso.example/windows", "contoso.example/windows",
        "messages[0].parameters.platforms[0].guideUrl", "'contoso.example/windows' is not a web address")]
    [InlineData("\n            en: [Open Settings., Choose Access work or school.]", "", "nl: [Open",
        "messages[0].parameters.platforms[0].steps", "no 'en' steps (the plan's languages are nl, en)")]
    [InlineData("en: [Open Settings., Choose Access work or school.]", "en: []", "[]", "messages[0].parameters.platforms[0].steps.en", "no steps")]
    [InlineData("- android", "- { steps: [Open Settings.] }", "- ^{ steps", "messages[0].parameters.platforms[1].id", "missing required field 'id'")]
    public void Malformed_platforms_are_errors_naming_line_and_field(string find, string replace, string at, string field, string message)
    {
        var yaml = Parameters("enrollment", OwnWindowsSteps);
        Assert.Contains(find, yaml, StringComparison.Ordinal);
        yaml = yaml.Replace(find, replace, StringComparison.Ordinal);

        var result = PlanFixtures.Parse(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal((At(yaml, at), field, message), ((error.Line, error.Column), error.Field, error.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        Assert.Null(result.Plan);
    }

    [Fact]
    public void A_platform_field_the_card_does_not_show_is_a_warning_naming_it_and_the_template()
    {
        var yaml = Parameters("enrollment", OwnWindowsSteps.Replace("guideUrl:", "name: Windows 11\n      guideUrl:", StringComparison.Ordinal));

        var (_, result) = Load(yaml);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((At(yaml, "name: Windows").Line, "messages[0].parameters.platforms[0].name"), (warning.Line, warning.Field));
        Assert.Equal("the 'enrollment' card does not use 'name' here", warning.Message);
        Assert.Contains("id, steps, companyPortalUrl, guideUrl", warning.Fix, StringComparison.Ordinal);
    }

    // ---- texts -----------------------------------------------------------------------------------------------------

    /// <summary>Every plan template with the parameter lines it requires.</summary>
    public static TheoryData<string, string> Templates() => new()
    {
        { CardTemplateIds.Introduction, "" },
        { CardTemplateIds.PreEnrollment, "" },
        { CardTemplateIds.Enrollment, "  platforms: [windows]\n" },
        { CardTemplateIds.Survey, "  survey: intune-enrollment\n" },
        { CardTemplateIds.Reminder, "" },
    };

    private static string Message(string template, string parameters, string texts = "") =>
        Parameters(template, (parameters.Length == 0 ? "" : "parameters:\n" + parameters) + texts);

    [Theory]
    [MemberData(nameof(Templates))]
    public void Texts_title_replaces_the_heading_of_every_plan_card_in_both_languages(string template, string required)
    {
        var (plan, _) = Load(Message(template, required, "texts:\n  title: { nl: Onze eigen kop, en: Our own heading }\n"));

        var nl = Texts(Card(plan, "nl"));
        var en = Texts(Card(plan, "en"));

        Assert.Equal("Onze eigen kop", nl[1]);
        Assert.Equal("Our own heading", en[1]);
        Assert.DoesNotContain("Our own heading", nl);
    }

    [Fact]
    public void A_text_name_the_card_does_not_show_is_a_warning_naming_it_and_the_template()
    {
        var yaml = Message("reminder", "", "texts:\n  titel: { nl: Kop, en: Heading }\n");

        var (_, result) = Load(yaml);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((At(yaml, "titel").Line, At(yaml, "titel").Column, "messages[0].texts.titel"), (warning.Line, warning.Column, warning.Field));
        Assert.Equal("the 'reminder' card does not show text 'titel'", warning.Message);
        Assert.StartsWith("did you mean 'title'?", warning.Fix, StringComparison.Ordinal);
    }

    // ---- meeting.location ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("nl", "Waar", "Grote zaal")]
    [InlineData("en", "Where", "Main hall")]
    public void Introduction_shows_the_meeting_location_in_the_cards_language(string lang, string label, string location)
    {
        var (plan, _) = Load(Parameters("introduction", "parameters:\n  meeting: { date: 2027-07-08T10:00, location: { nl: Grote zaal, en: Main hall } }\n"));

        var facts = Facts(Card(plan, lang));

        Assert.Equal(CardStrings.Text(lang, "introduction.meetingWhen"), facts[0].Title);
        Assert.Equal((label, location), facts[1]);
    }

    [Theory]
    [InlineData("{ date: 2027-07-08T10:00, location: { nl: Grote zaal } }", "{ nl: Grote", "messages[0].parameters.meeting.location", "no 'en' text (the plan's languages are nl, en)")]
    [InlineData("{ location: Grote zaal }", "{ location", "messages[0].parameters.meeting.date", "missing required field 'date'")]
    [InlineData("{ date: next Tuesday }", "next Tuesday", "messages[0].parameters.meeting.date", "'next Tuesday' is not a local date and time")]
    [InlineData("{ date: 2027-07-08T10:00, url: teams/meeting }", "teams/meeting", "messages[0].parameters.meeting.url", "'teams/meeting' is not a web address")]
    public void Malformed_meeting_is_an_error_naming_line_and_field(string meeting, string at, string field, string message)
    {
        var yaml = Message("introduction", $"  meeting: {meeting}\n");

        var error = Assert.Single(PlanFixtures.Parse(yaml).Errors);

        Assert.Equal((At(yaml, at), field, message), ((error.Line, error.Column), error.Field, error.Message));
    }

    [Fact]
    public void A_meeting_field_the_card_does_not_show_is_a_warning_naming_it_and_the_template()
    {
        var yaml = Parameters("introduction", "parameters:\n  meeting: { date: 2027-07-08T10:00, room: B12 }\n");

        var (plan, result) = Load(yaml);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((At(yaml, "room").Line, At(yaml, "room").Column, "messages[0].parameters.meeting.room"), (warning.Line, warning.Column, warning.Field));
        Assert.Equal("the 'introduction' card does not use 'room' here", warning.Message);
        Assert.DoesNotContain("B12", Card(plan, "en").ToJsonString(), StringComparison.Ordinal);
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Templates))]
    public void Resources_are_shown_on_every_plan_card_in_both_languages(string template, string required)
    {
        var (plan, _) = Load(Message(template, required + """
              resources:
                - { title: { nl: Veelgestelde vragen, en: Frequently asked questions }, url: https://contoso.example/faq }
                - { url: https://contoso.example/guide }

            """));

        foreach (var (lang, title) in new[] { ("nl", "Veelgestelde vragen"), ("en", "Frequently asked questions") })
        {
            var texts = Texts(Card(plan, lang));
            Assert.Contains($"• [{title}](https://contoso.example/faq)", texts);
            Assert.Contains("• [https://contoso.example/guide](https://contoso.example/guide)", texts);
            var heading = template == CardTemplateIds.PreEnrollment ? "preEnrollment.resourcesHeading" : "common.resourcesHeading";
            Assert.Contains(CardStrings.Text(lang, heading), texts);
        }
    }

    [Theory]
    [InlineData("- { title: Guide, url: https://contoso.example/guide }", "- { title: Guide }", "{ title: Guide }", "messages[0].parameters.resources[0].url", "missing required field 'url'")]
    [InlineData("url: https://contoso.example/guide", "url: www.contoso.example", "www.contoso.example", "messages[0].parameters.resources[0].url", "'www.contoso.example' is not a web address")]
    [InlineData("title: Guide", "title: { nl: Handleiding }", "{ nl: Handleiding }", "messages[0].parameters.resources[0].title", "no 'en' text (the plan's languages are nl, en)")]
    public void Malformed_resources_are_errors_naming_line_and_field(string find, string replace, string at, string field, string message)
    {
        var yaml = Parameters("survey", "parameters:\n  survey: intune-enrollment\n  resources:\n    - { title: Guide, url: https://contoso.example/guide }\n").Replace(find, replace, StringComparison.Ordinal);

        var error = Assert.Single(PlanFixtures.Parse(yaml).Errors);

        Assert.Equal((At(yaml, at), field, message), ((error.Line, error.Column), error.Field, error.Message));
    }

    // ---- parameters a card does not show ---------------------------------------------------------------------------

    [Theory]
    [InlineData("survey", "parameters:\n  survey: intune-enrollment\n  platforms: [windows]\n", "platforms", "messages[0].parameters.platforms", "the 'survey' card does not use parameter 'platforms'")]
    [InlineData("introduction", "parameters:\n  timeline:\n    - { month: juli, departments: IT, note: eerst }\n", "note", "messages[0].parameters.timeline[0].note", "the 'introduction' card does not use 'note' here")]
    [InlineData("reminder", "parameters:\n  link: { url: https://contoso.example/guide, label: Gids }\n", "label", "messages[0].parameters.link.label", "the 'reminder' card does not use 'label' here")]
    public void A_parameter_or_field_the_card_does_not_show_is_a_warning_naming_it_and_the_template(string template, string parameters, string at, string field, string message)
    {
        var yaml = Parameters(template, parameters);

        var (_, result) = Load(yaml);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((At(yaml, at + ":").Line, field, message), (warning.Line, warning.Field, warning.Message));
    }

    [Theory]
    [InlineData("introduction", "parameters:\n  timeline:\n    - { month: juli }\n", "{ month", "messages[0].parameters.timeline[0].departments", "missing required field 'departments'")]
    [InlineData("reminder", "parameters:\n  link: { title: Gids }\n", "{ title", "messages[0].parameters.link.url", "missing required field 'url'")]
    [InlineData("reminder", "parameters:\n  deadline: 27-08-2027\n", "27-08", "messages[0].parameters.deadline", "'27-08-2027' is not a date")]
    [InlineData("pre-enrollment", "parameters:\n  prepare: [Laptop klaarzetten, { nl: Telefoon }]\n", "{ nl: Telefoon", "messages[0].parameters.prepare[1]", "no 'en' text (the plan's languages are nl, en)")]
    public void Other_malformed_parameters_are_errors_naming_line_and_field(string template, string parameters, string at, string field, string message)
    {
        var yaml = Parameters(template, parameters);

        var error = Assert.Single(PlanFixtures.Parse(yaml).Errors);

        Assert.Equal((At(yaml, at), field, message), ((error.Line, error.Column), error.Field, error.Message));
    }
}

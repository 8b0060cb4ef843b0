using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>What employees and leads see on each card, with the sample plan's data.</summary>
public sealed class CardContentTests
{
    private static JsonObject RenderMessage(string messageId, string language, string? department = null)
    {
        var m = PlanCards.Find(SamplePlan.Plan, messageId, departmentId: department)!;
        return CardRenderer.Render(m.TemplateId, m.Data.ToJson(), language);
    }

    private static IEnumerable<JsonObject> All(JsonNode? node, string type) => CardJson.OfType(node, type);

    private static List<string> Texts(JsonNode card) => [.. All(card, "TextBlock").Select(t => (string)t["text"]!)];

    [Theory]
    [InlineData("nl", "donderdag 8 juli 2027 om 10:00", "augustus", "Verkoop en Marketing")]
    [InlineData("en", "Thursday 8 July 2027, 10:00", "August", "Sales and Marketing")]
    public void Introduction_shows_why_what_changes_the_timeline_and_the_meeting(string lang, string date, string month, string department)
    {
        var card = RenderMessage("intro-meeting", lang);

        var facts = All(card, "FactSet").SelectMany(f => f["facts"]!.AsArray()).Select(f => ((string?)f!["title"], (string?)f["value"])).ToList();
        Assert.Contains((month, department), facts);
        Assert.Contains(lang == "nl" ? ("oktober", "HR, financiën en leidinggevenden") : ("October", "HR, Finance and Executives"), facts);
        Assert.Equal(4 + 1, facts.Count);
        Assert.Contains(date, facts.Select(f => f.Item2));
        var join = All(card, "Action.OpenUrl").Single(a => (string?)a["url"] == "https://contoso.example/intune-kickoff");
        Assert.Equal(CardStrings.Text(lang, "introduction.meetingButton"), (string?)join["title"]);
        Assert.Contains(CardStrings.Text(lang, "introduction.whyHeading"), Texts(card));
        Assert.Contains(CardStrings.Text(lang, "introduction.changesHeading"), Texts(card));
    }

    [Fact]
    public void Pre_enrollment_lists_what_to_prepare_what_IT_can_and_cannot_see_and_the_plans_links()
    {
        var card = RenderMessage("pre-rollout-1", "en", "sales-marketing");
        var texts = Texts(card);

        Assert.Contains("Soon Sales and Marketing will enroll its devices in Microsoft Intune. A little preparation makes it quick.", texts);
        Assert.Contains("✔ IT can see", texts);
        Assert.Contains("✖ IT cannot see", texts);
        Assert.Contains("• Your photos, files and browsing history", texts);
        Assert.Contains("• [What is Intune?](https://learn.microsoft.com/mem/intune/fundamentals/what-is-intune)", texts);
        Assert.Contains("• [Frequently asked questions](https://contoso.example/intune-faq)", texts);
    }

    [Fact]
    public void Enrollment_shows_one_platform_at_a_time_with_Company_Portal_links()
    {
        var card = RenderMessage("enrollment", "nl");

        var panels = All(card, "Container").Where(c => ((string?)c["id"])?.StartsWith("platform-", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["platform-windows", "platform-ios", "platform-android", "platform-macos"], panels.Select(p => (string)p["id"]!));
        Assert.Equal([true, false, false, false], panels.Select(p => (bool)p["isVisible"]!));

        var toggles = All(card, "Action.ToggleVisibility").ToList();
        Assert.Equal(["Windows", "iPhone en iPad", "Android", "Mac"], toggles.Select(t => (string)t["title"]!));
        foreach (var (toggle, i) in toggles.Select((t, i) => (t, i)))
        {
            var targets = toggle["targetElements"]!.AsArray().Select(t => ((string)t!["elementId"]!, (bool)t["isVisible"]!)).ToList();
            Assert.Equal(panels.Select((p, j) => ((string)p["id"]!, i == j)), targets);
        }

        var portalLinks = panels.Select(p => All(p, "Action.OpenUrl").First(a => (string?)a["title"] == "Bedrijfsportal downloaden")["url"]!.GetValue<string>()).ToList();
        Assert.Equal(
        [
            "https://apps.microsoft.com/detail/9WZDNCRFJ3PZ",
            "https://apps.apple.com/app/intune-company-portal/id719171358",
            "https://play.google.com/store/apps/details?id=com.microsoft.windowsintune.companyportal",
            "https://go.microsoft.com/fwlink/?linkid=853070",
        ], portalLinks);
        Assert.Contains("Installeer Intune Bedrijfsportal uit de App Store (knop hieronder).", Texts(panels[1]));
    }

    [Fact]
    public void A_plan_can_override_platform_steps_and_choose_platforms()
    {
        var data = new CardData
        {
            RolloutName = "Rollout",
            DefaultLanguage = "nl",
            Parameters = JsonNode.Parse("""
                { "platforms": [
                    { "id": "windows", "steps": { "nl": ["Open Instellingen.", "Kies Toegang tot werk of school."], "en": ["Open Settings.", "Choose Access work or school."] } },
                    "android" ] }
                """),
        }.ToJson();

        var card = CardRenderer.Render(CardTemplateIds.Enrollment, data, "en");

        var texts = Texts(card);
        Assert.Contains("Open Settings.", texts);
        Assert.Contains("Choose Access work or school.", texts);
        Assert.DoesNotContain("Install the Company Portal app from the Microsoft Store (button below).", texts);
        Assert.Contains("Install Intune Company Portal from Google Play (button below).", texts);
        Assert.Equal(2, All(card, "Action.ToggleVisibility").Count());
    }

    [Fact]
    public void A_timeline_entry_without_text_is_refused_with_its_position()
    {
        var data = new CardData { RolloutName = "R", Parameters = JsonNode.Parse("""{"timeline":[{"month":"July","departments":"IT"},{"month":"August"}]}""") }.ToJson();

        var e = Assert.Throws<ArgumentException>(() => CardRenderer.Render(CardTemplateIds.Introduction, data, "en"));
        Assert.Contains("timeline[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_platform_without_steps_is_refused_by_name()
    {
        var data = new CardData { RolloutName = "R", Parameters = JsonNode.Parse("""{ "platforms": ["linux"] }""") }.ToJson();

        var e = Assert.Throws<ArgumentException>(() => CardRenderer.Render(CardTemplateIds.Enrollment, data, "en"));
        Assert.Contains("'linux'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Survey_asks_labelled_questions_and_submits_with_Action_Execute_and_a_Submit_fallback()
    {
        var m = PlanCards.Find(SamplePlan.Plan, "post-enrollment", "retail")!;
        var data = (m.Data with { RecipientUserIds = ["user-1", "user-2"] }).ToJson();

        var card = CardRenderer.Render(m.TemplateId, data, "nl");

        var inputs = All(card, "Input.ChoiceSet").Concat(All(card, "Input.Text")).Concat(All(card, "Input.Toggle")).ToDictionary(i => (string)i["id"]!);
        Assert.Equal(["comment", "consent", "duration", "platform", "problems", "rating", "success"], inputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["1", "2", "3", "4", "5"], inputs["rating"]["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        Assert.True((bool)inputs["rating"]["isRequired"]!);
        Assert.Equal("Kies een score van 1 tot 5.", (string?)inputs["rating"]["errorMessage"]);
        Assert.Equal(["yes", "partly", "no"], inputs["success"]["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        Assert.True((bool)inputs["problems"]["isMultiSelect"]!);
        Assert.Equal(1000, (int)inputs["comment"]["maxLength"]!);

        var submit = card["actions"]!.AsArray().Single()!;
        Assert.Equal("Action.Execute", (string?)submit["type"]);
        Assert.Equal("survey.submit", (string?)submit["verb"]);
        var expectedData = JsonNode.Parse("""{"surveyId":"intune-enrollment","messageId":"post-enrollment","waveId":"retail","departmentId":"retail"}""");
        Assert.True(JsonNode.DeepEquals(expectedData, submit["data"]));
        Assert.Equal("Action.Submit", (string?)submit["fallback"]!["type"]);
        Assert.Equal("survey.submit", (string?)submit["fallback"]!["data"]!["verb"]);
        Assert.Equal(["user-1", "user-2"], card["refresh"]!["userIds"]!.AsArray().Select(u => (string)u!));
        Assert.Equal("survey.refresh", (string?)card["refresh"]!["action"]!["verb"]);
    }

    [Fact]
    public void Survey_is_prefilled_with_earlier_answers_and_the_thank_you_card_shows_them_in_words()
    {
        var data = PlanCards.Example(SamplePlan.Plan, CardTemplateIds.SurveyThanks).ToJson();

        var survey = CardRenderer.Render(CardTemplateIds.Survey, data, "nl");
        var thanks = CardRenderer.Render(CardTemplateIds.SurveyThanks, data, "nl");

        var inputs = All(survey, "Input.ChoiceSet").ToDictionary(i => (string)i["id"]!);
        Assert.Equal("4", (string?)inputs["rating"]["value"]);
        Assert.Equal("signin,apps", (string?)inputs["problems"]["value"]);
        var facts = All(thanks, "FactSet").Single()["facts"]!.AsArray().ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);
        Assert.Equal("4 - Makkelijk", facts["Gemak"]);
        Assert.Equal("Gedeeltelijk", facts["Gelukt"]);
        Assert.Equal("iPhone of iPad", facts["Apparaat"]);
        Assert.Equal("15 tot 30 minuten", facts["Duur"]);
        Assert.Equal("Aanmelden of meervoudige verificatie, Apps of e-mail werkten daarna niet", facts["Problemen"]);
        Assert.Equal("Ja", facts["Contact opnemen"]);
        var change = thanks["actions"]!.AsArray().Single()!;
        Assert.Equal(("Action.Execute", "survey.edit", "Mijn antwoorden wijzigen"), ((string?)change["type"], (string?)change["verb"], (string?)change["title"]));
    }

    [Fact]
    public void Status_card_shows_counts_with_words_and_offers_the_lead_the_right_buttons()
    {
        var data = new CardData
        {
            RolloutName = "Intune",
            WaveId = "retail",
            WaveName = JsonNode.Parse("""{"nl":"Retail","en":"Retail"}"""),
            TimeZone = "Europe/Amsterdam",
            Parameters = JsonNode.Parse("""
                {"total":1000,"sent":1000,"delivered":960,"failed":15,"pending":25,"ratePerMinute":40,
                 "eta":"2027-09-06T07:40:00Z","updatedAt":"2027-09-06T07:39:00Z","paused":true}
                """),
        }.ToJson();

        var card = CardRenderer.Render(CardTemplateIds.Status, data, "en");

        var texts = Texts(card);
        Assert.Contains("Progress: Retail", texts);
        Assert.Contains("Paused: nothing is being sent until you resume.", texts);
        Assert.Contains("█████████░ 98% done", texts);
        Assert.Contains("Updated Monday 6 September 2027, 09:39", texts);
        Assert.Contains("1,000", texts);
        Assert.Contains("Monday 6 September 2027, 09:40", texts);
        var failed = All(card, "ColumnSet").Single(c => Texts(c).Contains("Failed"));
        Assert.Equal(["Failed", "15"], Texts(failed));
        var verbs = card["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList();
        Assert.Equal(["status.refresh", "status.resume", "status.failures"], verbs);
    }

    [Theory]
    [InlineData("en", "Cancelled: nothing more of this wave is sent. This card is no longer updated.")]
    [InlineData("nl", "Geannuleerd: er wordt niets meer van deze golf verzonden. Deze kaart wordt niet meer bijgewerkt.")]
    public void Status_card_of_a_cancelled_wave_says_cancelled_and_offers_neither_pause_nor_resume(string lang, string expected)
    {
        var data = new CardData
        {
            RolloutName = "Intune",
            WaveId = "retail",
            WaveName = JsonNode.Parse("""{"nl":"Retail","en":"Retail"}"""),
            TimeZone = "Europe/Amsterdam",
            Parameters = JsonNode.Parse("""
                {"total":100,"sent":40,"delivered":38,"failed":2,"pending":60,"ratePerMinute":0,
                 "updatedAt":"2027-09-06T07:39:00Z","paused":true,"cancelled":true}
                """),
        }.ToJson();

        var card = CardRenderer.Render(CardTemplateIds.Status, data, lang);

        Assert.Contains(expected, Texts(card));
        var verbs = card["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList();
        Assert.Equal(["status.refresh", "status.failures"], verbs);
    }

    [Fact]
    public void Help_shows_lead_commands_only_to_leads()
    {
        var lead = CardRenderer.Render(CardTemplateIds.Help, new CardData { RolloutName = "R", Parameters = JsonNode.Parse("""{"isLead":true}""") }.ToJson(), "en");
        var employee = CardRenderer.Render(CardTemplateIds.Help, new CardData { RolloutName = "R" }.ToJson(), "en");

        static List<string> Commands(JsonNode card) => [.. All(card, "FactSet").SelectMany(f => f["facts"]!.AsArray()).Select(f => (string)f!["title"]!)];
        Assert.Equal(["help", "status [wave-id]", "preview <message-id> [nl|en]"], Commands(lead));
        Assert.Equal(["help"], Commands(employee));
    }

    [Fact]
    public void Reminder_uses_the_plans_text_and_deadline_when_given()
    {
        var data = new CardData
        {
            RolloutName = "R",
            Parameters = JsonNode.Parse("""{"text":{"nl":"Nog niet geregistreerd?","en":"Not enrolled yet?"},"deadline":"2027-08-27","link":{"title":{"nl":"Handleiding","en":"Guide"},"url":"https://contoso.example/guide"}}"""),
        }.ToJson();

        var card = CardRenderer.Render(CardTemplateIds.Reminder, data, "nl");

        Assert.Contains("Nog niet geregistreerd?", Texts(card));
        Assert.Contains("Rond het graag af vóór vrijdag 27 augustus 2027.", Texts(card));
        Assert.Contains(card["actions"]!.AsArray(), a => (string?)a!["title"] == "Handleiding" && (string?)a["url"] == "https://contoso.example/guide");
    }

    [Fact]
    public void Localized_texts_fall_back_to_the_plan_default_language()
    {
        var data = new CardData { RolloutName = JsonNode.Parse("""{"nl":"Alleen Nederlands"}""")!, DefaultLanguage = "nl" }.ToJson();

        var card = CardRenderer.Render(CardTemplateIds.Welcome, data, "en");

        Assert.Equal("Hi, I am the Alleen Nederlands assistant", Texts(card)[0]);
    }

    [Fact]
    public void Unknown_template_language_and_bad_dates_are_refused_with_a_clear_message()
    {
        var data = new CardData { RolloutName = "R" }.ToJson();
        Assert.Contains("known: introduction", Assert.Throws<ArgumentException>(() => CardRenderer.Render("intro", data, "en")).Message, StringComparison.Ordinal);
        Assert.Contains("supported: en, nl", Assert.Throws<ArgumentException>(() => CardRenderer.Render("help", data, "fr")).Message, StringComparison.Ordinal);
        var badDate = new CardData { RolloutName = "R", Parameters = JsonNode.Parse("""{"meeting":{"date":"next Tuesday"}}""") }.ToJson();
        var e = Assert.Throws<ArgumentException>(() => CardRenderer.Render(CardTemplateIds.Introduction, badDate, "en"));
        Assert.Contains("meeting.date", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_card_over_the_Teams_size_limit_is_refused()
    {
        var resources = new JsonArray([.. Enumerable.Range(0, 400).Select(i => (JsonNode?)new JsonObject { ["title"] = $"Resource number {i} with a long title", ["url"] = $"https://contoso.example/{i}" })]);
        var data = new CardData { RolloutName = "R", Parameters = new JsonObject { ["resources"] = resources } }.ToJson();

        var e = Assert.Throws<CardTemplateException>(() => CardRenderer.Render(CardTemplateIds.PreEnrollment, data, "en"));
        Assert.Contains("over the Teams limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachment_wraps_the_card_with_the_Adaptive_Card_content_type()
    {
        var card = CardRenderer.Render(CardTemplateIds.Welcome, new CardData { RolloutName = "R" }.ToJson(), "en");
        var attachment = CardRenderer.ToAttachment(card);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.Same(card, attachment["content"]);
    }
}

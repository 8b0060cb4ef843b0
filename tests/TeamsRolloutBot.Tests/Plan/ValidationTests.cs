using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public class ValidationTests
{
    [Fact]
    public void Small_plan_is_valid()
    {
        var result = PlanFixtures.Parse(PlanFixtures.Small);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Unknown_phase_names_file_line_column_field_and_suggests_the_fix()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("phase: pre-enrollment", "phase: pre-enrolment"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(
            "plan.yaml:26:12: error: messages[0].phase: unknown phase 'pre-enrolment' — did you mean 'pre-enrollment'? use one of introduction, pre-enrollment, enrollment, post-enrollment, reminder",
            error.ToString());
        Assert.Null(result.Plan);
    }

    [Fact]
    public void A_departments_language_sets_its_channel_language_and_defaults_to_the_plans()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    members: { users: [a@contoso.example] }", "    members: { users: [a@contoso.example] }\n    language: en"));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Equal("en", result.Plan!.FindDepartment("hr")!.Language);
        Assert.Equal("en", result.Plan.LanguageOf("hr"));
        Assert.Null(result.Plan.FindDepartment("it")!.Language);
        Assert.Equal("nl", result.Plan.LanguageOf("it"));
    }

    [Fact]
    public void A_department_language_the_plan_does_not_offer_is_an_error_naming_the_plans_languages()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    members: { users: [a@contoso.example] }", "    members: { users: [a@contoso.example] }\n    language: eng"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((17, 15, "departments[1].language"), (error.Line, error.Column, error.Field));
        Assert.Contains("'eng' is not one of the plan's languages (nl, en)", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'en'?", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_template_is_an_error_with_a_suggestion()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("template: enrollment", "template: enrolment"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((38, 15, "messages[1].template"), (error.Line, error.Column, error.Field));
        Assert.Contains("unknown card template 'enrolment'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'enrollment'?", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("welcome")]
    [InlineData("help")]
    [InlineData("status")]
    public void Bot_internal_templates_cannot_be_scheduled(string template)
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("template: pre-enrollment", $"template: {template}"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(30, error.Line);
        Assert.Contains("used by the bot itself", error.Message, StringComparison.Ordinal);
        Assert.Contains(CardTemplateIds.BotInternal, t => t == template);
    }

    [Fact]
    public void Bad_time_zone_is_an_error_with_the_closest_IANA_id()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("timeZone: Europe/Amsterdam", "timeZone: Europe/Amsterdm"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, 11, "timeZone"), (error.Line, error.Column, error.Field));
        Assert.Contains("unknown time zone 'Europe/Amsterdm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Europe/Amsterdam'?", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_time_zone_name_is_refused_with_its_IANA_id()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("timeZone: Europe/Amsterdam", "timeZone: W. Europe Standard Time"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("Windows time zone name", error.Message, StringComparison.Ordinal);
        Assert.Contains("timeZone: Europe/", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_department_id_points_at_the_second_one()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("  - id: hr\n    name: { nl: Personeelszaken", "  - id: it\n    name: { nl: Personeelszaken"));

        Assert.Contains(result.Errors, e => e.Line == 12 && e.Message == "duplicate department id 'it' (first used at line 7)");
    }

    [Fact]
    public void Duplicate_message_id_points_at_the_second_one()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("- id: enroll", "- id: pre-1"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(33, error.Line);
        Assert.Equal("duplicate message id 'pre-1' (first used at line 25)", error.Message);
    }

    [Fact]
    public void Duplicate_wave_id_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("  - id: hr\n    departments: [hr]", "  - id: it\n    departments: [hr]"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(21, error.Line);
        Assert.Contains("duplicate wave id 'it'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Department_in_two_overlapping_waves_is_an_error_naming_both_windows()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("departments: [hr]\n    start: 2027-08-02", "departments: [hr, it]\n    start: 2027-07-19"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((21, 5, "waves(hr).start"), (error.Line, error.Column, error.Field));
        Assert.Equal("department 'it' is in wave 'it' (2027-07-05 to 2027-08-01) and in wave 'hr' (2027-07-19 to 2027-08-15) at the same time", error.Message);
        Assert.Contains("start wave 'hr' on 2027-08-02 or later", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Waves_that_touch_end_to_start_do_not_overlap()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("departments: [hr]\n    start: 2027-08-02", "departments: [hr, it]\n    start: 2027-08-02"));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
    }

    [Fact]
    public void Introduction_only_wave_for_all_departments_does_not_overlap_department_waves()
    {
        var yaml = PlanFixtures.SmallWith("waves:\n", """
            waves:
              - id: kickoff
                departments: all
                start: 2027-07-05
                messages:
                  - { id: intro, phase: introduction, offset: 0d, time: "09:00", audience: channel, template: introduction }

            """);

        var plan = PlanFixtures.ParseValid(yaml);
        Assert.True(plan.FindWave("kickoff")!.IsIntroductionOnly);
    }

    [Fact]
    public void All_departments_wave_with_enrollment_messages_overlaps_the_department_waves()
    {
        var yaml = PlanFixtures.SmallWith("waves:\n", """
            waves:
              - id: kickoff
                departments: all
                start: 2027-07-05
                messages:
                  - { id: intro, phase: enrollment, offset: 0d, time: "09:00", audience: channel, template: introduction }

            """);

        var result = PlanFixtures.Parse(yaml);
        Assert.Contains(result.Errors, e => e.Message.StartsWith("department 'it' is in wave 'kickoff'", StringComparison.Ordinal));
    }

    [Fact]
    public void Message_outside_its_wave_names_the_wave_window()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("offset: 2w", "offset: 4w"));

        var errors = result.Errors.ToList();
        Assert.Equal(2, errors.Count); // once per wave that uses the shared message
        Assert.All(errors, e => Assert.Equal((35, 13, "messages[1].offset"), (e.Line, e.Column, e.Field)));
        Assert.Equal("sends on 2027-08-02 in wave 'it', outside the wave (2027-07-05 to 2027-08-01)", errors[0].Message);
        Assert.Contains("from 0d to 27d", errors[0].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Longer_wave_duration_makes_room_for_a_later_message()
    {
        var yaml = PlanFixtures.SmallWith("offset: 2w", "offset: 4w")
            .Replace("start: 2027-07-05", "start: 2027-07-05\n    duration: 5w", StringComparison.Ordinal)
            .Replace("start: 2027-08-02", "start: 2027-08-09\n    duration: 5w", StringComparison.Ordinal);

        var plan = PlanFixtures.ParseValid(yaml);
        Assert.Equal(new DateOnly(2027, 8, 8), plan.FindWave("it")!.End);
    }

    [Fact]
    public void Department_without_channel_and_members_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("""
                team: "19:it-team@thread.tacv2"
                channel: "19:it@thread.tacv2"
                members: { group: 11111111-1111-1111-1111-111111111101 }

            """, ""));

        var error = Assert.Single(result.Errors);
        Assert.Equal((7, 5, "departments[0]"), (error.Line, error.Column, error.Field));
        Assert.Contains("has no channel and no members", error.Message, StringComparison.Ordinal);
        Assert.Contains("members: { group:", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Department_without_channel_when_a_message_posts_to_the_channel_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("""
                team: "19:it-team@thread.tacv2"
                channel: "19:it@thread.tacv2"

            """, ""));

        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
        Assert.Equal("department 'it' has no channel, but message 'pre-1' of wave 'it' posts to its channel", error.Message);
    }

    [Fact]
    public void Department_without_members_when_a_message_goes_to_members_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    members: { users: [a@contoso.example] }\n", ""));

        var error = Assert.Single(result.Errors);
        Assert.Equal(12, error.Line);
        Assert.Contains("department 'hr' has no members", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Localized_text_missing_a_language_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("title: { nl: Binnenkort, en: Coming soon }", "title: { nl: Binnenkort }"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((32, 14, "messages[0].texts.title"), (error.Line, error.Column, error.Field));
        Assert.Equal("no 'en' text (the plan's languages are nl, en)", error.Message);
        Assert.Equal("add en: <text> to this map", error.Fix);
    }

    [Fact]
    public void Message_text_given_once_for_all_languages_is_an_error_in_a_two_language_plan()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("title: { nl: Binnenkort, en: Coming soon }", "title: Binnenkort"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(32, error.Line);
        Assert.Contains("nl: ..., en: ...", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Texts_keyed_by_language_first_get_a_clear_fix()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("title: { nl: Binnenkort, en: Coming soon }", "nl: { title: Binnenkort }\n      en: { title: Coming soon }"));

        Assert.Equal(2, result.Errors.Count());
        Assert.All(result.Errors, e => Assert.Equal("write texts: { title: { nl: ..., en: ... } }", e.Fix));
        Assert.Equal([32, 33], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Language_without_card_texts_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("languages: [nl, en]", "languages: [nl, en, de]"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((4, 21, "languages"), (error.Line, error.Column, error.Field));
        Assert.Equal("language 'de' has no card texts in this bot", error.Message);
    }

    [Fact]
    public void Text_cut_at_a_comma_in_a_flow_map_is_caught()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("{ nl: Personeelszaken, en: HR }", "{ nl: HR, financiën, en: HR, Finance }"));

        Assert.Equal(2, result.Errors.Count());
        Assert.All(result.Errors, e => Assert.Contains("cut off at a comma", e.Message, StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.Equal(13, e.Line));
    }

    [Fact]
    public void Misspelt_key_is_an_error_with_did_you_mean_and_no_second_missing_field_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("offset: 0w", "ofset: 0w"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("plan.yaml:27:5: error: messages[0].ofset: unknown field 'ofset' — did you mean 'offset'? allowed here: id, phase, offset, time, audience, template, parameters, texts, collectReplies", error.ToString());
    }

    [Fact]
    public void Missing_required_field_is_reported_at_its_entry()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    time: \"09:00\"\n", ""));

        var error = Assert.Single(result.Errors);
        Assert.Equal((33, 5, "messages[1].time"), (error.Line, error.Column, error.Field));
        Assert.Equal("missing required field 'time'", error.Message);
    }

    [Fact]
    public void Unknown_department_in_a_wave_suggests_the_closest_id()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("departments: [hr]", "departments: [hrr]"));

        Assert.Contains(result.Errors, e => e.Line == 22 && e.Message == "unknown department 'hrr'" && e.Fix!.StartsWith("did you mean 'hr'?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("time: \"09:30\"", "time: \"9.30\"", 28, "is not a time of day")]
    [InlineData("offset: 0w", "offset: 1 week", 27, "is not a number of days or weeks")]
    [InlineData("start: 2027-07-05", "start: 05-07-2027", 20, "is not a date")]
    [InlineData("audience: both", "audience: everyone", 29, "unknown audience 'everyone'")]
    [InlineData("channel: \"19:it@thread.tacv2\"", "channel: general", 10, "is not a Teams channel id")]
    [InlineData("{ group: 11111111-1111-1111-1111-111111111101 }", "{ group: IT-staff }", 11, "is not an Entra group id")]
    [InlineData("platforms: [windows, ios]", "platforms: [windows, iphone]", 39, "unknown platform 'iphone'")]
    [InlineData("defaultLanguage: nl", "defaultLanguage: fr", 3, "'fr' is not one of the plan's languages")]
    public void Bad_values_are_errors_on_their_line(string find, string replace, int line, string message)
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith(find, replace));

        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Theory]
    [InlineData("leads: {}")]
    [InlineData("leads: { users: [] }")]
    public void Plan_without_leads_is_an_error(string leads)
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("leads: { users: [lead@contoso.example] }", leads));

        var error = Assert.Single(result.Errors);
        Assert.Equal((5, 8, "leads"), (error.Line, error.Column, error.Field));
        Assert.Equal("no project leads: nobody could drive the bot", error.Message);
    }

    [Fact]
    public void Yaml_syntax_error_names_its_position()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    audience: both", "    audience: [both"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 29, 31);
    }

    [Fact]
    public void Duplicate_yaml_key_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("    time: \"09:30\"\n", "    time: \"09:30\"\n    time: \"10:30\"\n"));

        var error = Assert.Single(result.Errors);
        Assert.InRange(error.Line, 28, 29);
    }

    [Fact]
    public void Survey_card_without_survey_id_is_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("template: enrollment\n    parameters: { platforms: [windows, ios] }", "template: survey"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(33, error.Line);
        Assert.Equal("a survey card needs the survey id", error.Message);
    }

    [Fact]
    public void Send_outside_business_hours_is_a_warning_not_an_error()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("time: \"09:30\"", "time: \"07:15\""));

        Assert.True(result.IsValid);
        var warnings = result.Warnings.ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal((28, 11, "messages[0].time"), (w.Line, w.Column, w.Field)));
        Assert.Equal("plan.yaml:28:11: warning: messages[0].time: sends at 07:15 in wave 'it', outside business hours (08:00-18:00) — pick a time within businessHours, or widen businessHours if this is intended", warnings[0].ToString());
    }

    [Fact]
    public void Weekend_send_is_a_warning_when_the_plan_keeps_weekend_sends()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("offset: 0w", "offset: 5d"));

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Line == 27 && w.Message == "sends on Saturday 2027-07-10 in wave 'it'");
    }

    [Fact]
    public void Holiday_send_is_a_warning()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("languages: [nl, en]", "languages: [nl, en]\nholidays: [{ date: 2027-08-02, name: Company day }]"));

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("sends on the holiday 2027-08-02 (Company day) in wave 'hr'", warning.Message);
    }

    [Fact]
    public void Invalid_plan_has_no_plan_object()
    {
        var result = PlanFixtures.Parse("rollout: x\n");

        Assert.False(result.IsValid);
        Assert.Null(result.Plan);
        Assert.Contains(result.Errors, e => e.Message == "missing required field 'timeZone'" && e.Line == 1);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        var result = PlanFixtures.Parse("");

        Assert.Equal("the plan file is empty", Assert.Single(result.Errors).Message);
    }
}

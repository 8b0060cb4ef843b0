using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// The sample plan's e-mail messages sent through the real scheduler, outbox and dispatcher reach Graph's sendMail as
/// the message itself: the card's subject and texts as HTML, in the recipient's language.
/// </summary>
public sealed partial class EmailDeliveryTests
{
    private const string ItGroup = "11111111-1111-1111-1111-111111111101";
    private static readonly string[] Platforms = ["windows", "ios", "android", "macos"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("nl", "en")]
    [InlineData("en", "nl")]
    public async Task The_enrollment_email_reaches_sendMail_with_its_subject_every_platforms_steps_and_the_contact_in_the_recipients_language(string planLanguage, string otherLanguage)
    {
        var yaml = (await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct)).Replace("defaultLanguage: nl", $"defaultLanguage: {planLanguage}", StringComparison.Ordinal);
        // One member without a language (gets the plan's), one whose Entra preferredLanguage is the other one.
        FakeUser plain = new(DeliveryBot.User(1), "anna@contoso.example"), other = new(DeliveryBot.User(2), "bram@contoso.example", otherLanguage + "-GB");
        await using var h = await StartAsync(yaml, [plain, other]);
        var plan = h.Services.GetRequiredService<PlanProvider>().Current!;

        await SendNowAsync(h, plan, "it", "enrollment-email");

        Assert.Equal(2, h.Graph.Mail.Sent.Count);
        foreach (var (user, language) in new[] { (plain, planLanguage), (other, otherLanguage) })
        {
            var mail = Assert.Single(h.Graph.Mail.Sent, m => m.To == user.Mail);
            Assert.Equal("rollout@contoso.example", mail.From);
            Assert.Equal($"{plan.Name}: {CardStrings.Text(language, "enrollment.title")}", mail.Subject);
            Assert.Equal("html", mail.ContentType, ignoreCase: true);
            var text = WebUtility.HtmlDecode(mail.Body);
            Assert.Contains(plan.Name, text, StringComparison.Ordinal);
            Assert.Contains(CardStrings.Text(language, "enrollment.intro"), text, StringComparison.Ordinal);
            var links = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "TeamsRolloutBot", "Cards", "Templates", "platforms.json")))!;
            foreach (var platform in Platforms)
            {
                Assert.Contains(CardStrings.Text(language, "enrollment.showing", new Dictionary<string, string> { ["platform"] = CardStrings.Text(language, $"platforms.{platform}.name") }), text, StringComparison.Ordinal);
                var steps = CardStrings.All(language)["platforms"]![platform]!.AsObject().Where(t => t.Key.StartsWith("step", StringComparison.Ordinal)).ToList();
                Assert.True(steps.Count >= 4);
                Assert.All(steps, step => Assert.Contains((string)step.Value!, text, StringComparison.Ordinal));
                Assert.Contains($"href=\"{links[platform]!["companyPortalUrl"]}\"", text, StringComparison.Ordinal);
            }
            // The contact block: who helps, their mail address as a link, the help page as a button.
            Assert.Contains($"{CardStrings.Text(language, "common.contactHeading")} {CardStrings.Text(language, "common.contactText", new Dictionary<string, string> { ["contactName"] = "Servicedesk" })}", text, StringComparison.Ordinal);
            Assert.Contains("href=\"mailto:servicedesk@contoso.example\"", mail.Body, StringComparison.Ordinal);
            Assert.Matches($"<a href=\"https://contoso.example/help\"[^>]*>{Regex.Escape(CardStrings.Text(language, "common.contactButton"))}</a>", mail.Body);
            AssertEmailSafe(mail.Body);
            var foreign = ForeignTexts(language, "enrollment", "platforms", "common").Where(t => text.Contains(t, StringComparison.Ordinal)).ToList();
            Assert.True(foreign.Count == 0, $"the {language} e-mail contains texts of the other language: {string.Join(" | ", foreign)}");
        }
    }

    [Fact]
    public async Task A_member_without_a_language_of_their_own_gets_the_email_in_the_departments_language()
    {
        // A Dutch plan whose IT department reads English: the same message goes out in English to its members.
        var yaml = (await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct)).Replace(
            "  - id: it\n    name: { nl: IT, en: IT }\n", "  - id: it\n    name: { nl: IT, en: IT }\n    language: en\n", StringComparison.Ordinal);
        Assert.Contains("language: en", yaml, StringComparison.Ordinal);
        await using var h = await StartAsync(yaml, [new FakeUser(DeliveryBot.User(1), "anna@contoso.example")]);
        var plan = h.Services.GetRequiredService<PlanProvider>().Current!;
        Assert.Equal("nl", plan.DefaultLanguage);

        await SendNowAsync(h, plan, "it", "enrollment-email");

        var mail = Assert.Single(h.Graph.Mail.Sent);
        Assert.Equal($"{plan.Name}: {CardStrings.Text("en", "enrollment.title")}", mail.Subject);
        var text = WebUtility.HtmlDecode(mail.Body);
        Assert.Contains(CardStrings.Text("en", "enrollment.intro"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(CardStrings.Text("nl", "enrollment.intro"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_survey_email_links_to_the_survey_in_the_bots_Teams_chat_and_has_no_inputs()
    {
        // The sample plan with one more message: the post-enrollment survey by e-mail.
        var yaml = await File.ReadAllTextAsync(RepoPaths.SamplePlan, Ct) + """
              - id: survey-email
                phase: post-enrollment
                offset: 3w
                time: "10:05"
                audience: email
                template: survey
                parameters:
                  survey: intune-enrollment

            """;
        await using var h = await StartAsync(yaml, [new FakeUser(DeliveryBot.User(1), "anna@contoso.example")]);
        var plan = h.Services.GetRequiredService<PlanProvider>().Current!;

        await SendNowAsync(h, plan, "it", "survey-email");

        var mail = Assert.Single(h.Graph.Mail.Sent);
        Assert.Equal($"{plan.Name}: {CardStrings.Text("nl", "survey.title")}", mail.Subject);
        Assert.Matches($"<a href=\"https://teams.microsoft.com/l/chat/0/0\\?users=28:{TestBot.AppId}\"[^>]*>{Regex.Escape(CardStrings.Text("nl", "email.surveyButton"))}</a>", mail.Body);
        var text = WebUtility.HtmlDecode(mail.Body);
        Assert.Contains(CardStrings.Text("nl", "survey.intro"), text, StringComparison.Ordinal);
        Assert.Contains(CardStrings.Text("nl", "email.surveyText", new Dictionary<string, string> { ["rollout"] = plan.Name }), text, StringComparison.Ordinal);
        // The questions and the submit button belong to the card in Teams; none of them is in the e-mail.
        Assert.DoesNotMatch("<(input|select|textarea|button|form)\\b", mail.Body);
        Assert.DoesNotContain(CardStrings.Text("nl", "survey.ratingLabel"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(CardStrings.Text("nl", "survey.submitButton"), text, StringComparison.Ordinal);
        AssertEmailSafe(mail.Body);
    }

    private static async Task<TestBot> StartAsync(string yaml, IReadOnlyList<FakeUser> members)
    {
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, yaml, Ct);
        var h = await DeliveryBot.StartAsync(new() { ["Rollout:PlanPath"] = planPath, ["Rollout:WatchPlanFile"] = "false" });
        Assert.NotNull(h.Services.GetRequiredService<PlanProvider>().Current);
        h.Graph.Directory.AddGroup(ItGroup, members);
        return h;
    }

    /// <summary>A lead's "send &lt;message&gt; to &lt;department&gt; now", then one scheduler pass and the dispatcher until the outbox is empty.</summary>
    private static async Task SendNowAsync(TestBot h, RolloutPlan plan, string departmentId, string messageId)
    {
        var message = plan.Waves.SelectMany(w => w.EffectiveMessages).First(m => m.Id == messageId);
        var result = await h.Services.GetRequiredService<IWaveControl>().SendNowAsync("request-1", message, [plan.FindDepartment(departmentId)!], "Lotte Lead", Ct);
        Assert.True(result.Queued);
        await h.DeliverAsync();
    }

    /// <summary>No script, style sheet or form; every image has alt text; layout in tables with inline styles.</summary>
    private static void AssertEmailSafe(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)<(script|style|link|form|iframe|object)\\b", html);
        Assert.DoesNotMatch("(?i)\\son[a-z]+\\s*=|javascript:|\\sclass=", html);
        Assert.All(ImgTag().Matches(html), img => Assert.Contains(" alt=\"", img.Value, StringComparison.Ordinal));
        Assert.Contains("<table role=\"presentation\"", html, StringComparison.Ordinal);
    }

    /// <summary>The texts of <paramref name="sections"/> in the language other than <paramref name="language"/> that differ from this language's.</summary>
    private static List<string> ForeignTexts(string language, params string[] sections)
    {
        var mine = CardStrings.All(language);
        var theirs = CardStrings.All(language == "nl" ? "en" : "nl");
        var texts = new List<string>();
        void Walk(JsonNode? own, JsonNode? other)
        {
            if (other is JsonObject o)
            {
                foreach (var (key, value) in o) Walk(own?[key], value);
            }
            else if (other is JsonValue v && v.TryGetValue<string>(out var text) && text != (string?)own && !text.Contains('{', StringComparison.Ordinal) && text.Length > 3)
            {
                texts.Add(text);
            }
        }
        foreach (var section in sections) Walk(mine[section], theirs[section]);
        Assert.True(texts.Count > 20, "too few texts to compare");
        return texts;
    }

    [GeneratedRegex("<img\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ImgTag();
}

using System.Net;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>The e-mail a plan message becomes: the <c>cards render --email</c> preview, and plan texts that must stay text.</summary>
public sealed class CardEmailTests
{
    private static (int? Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CardsCli.TryRun(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Cards_render_email_prints_the_subject_a_blank_line_and_the_html_in_the_asked_language()
    {
        var (code, output, error) = Run("cards", "render", "enrollment-email", "--lang", "nl", "--email", "--plan", SamplePlan.PlanPath);

        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Equal("Subject: Intune device enrollment 2027: Tijd om je apparaten te registreren", lines[0].TrimEnd('\r'));
        Assert.Equal("", lines[1].TrimEnd('\r'));
        Assert.Equal("<!DOCTYPE html>", lines[2].TrimEnd('\r'));
        Assert.EndsWith("</html>", output.TrimEnd(), StringComparison.Ordinal);
        var text = WebUtility.HtmlDecode(output);
        Assert.Contains("Installeer de app Bedrijfsportal uit de Microsoft Store (knop hieronder).", text, StringComparison.Ordinal); // Windows
        Assert.Contains("Download Bedrijfsportal voor Mac (knop hieronder) en installeer het.", text, StringComparison.Ordinal); // the last platform, hidden on the card
        Assert.DoesNotContain("Time to enroll", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\"", output, StringComparison.Ordinal); // HTML, not the card JSON
    }

    [Fact]
    public void Cards_render_email_of_the_survey_links_to_the_chat_of_the_bot_given_by_id()
    {
        var (code, output, error) = Run("cards", "render", "post-enrollment", "--lang", "en", "--email", "--bot-id", "00000000-0000-0000-0000-000000000b07", "--plan", SamplePlan.PlanPath);

        Assert.True(code == 0, error);
        Assert.StartsWith("Subject: Intune device enrollment 2027: How did enrolling go?", output, StringComparison.Ordinal);
        Assert.Contains("href=\"https://teams.microsoft.com/l/chat/0/0?users=28:00000000-0000-0000-0000-000000000b07\"", output, StringComparison.Ordinal);
        Assert.Contains(">Answer the survey in Teams</a>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Very hard", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_and_script_links_in_a_plan_text_stay_text_and_markdown_becomes_html()
    {
        var data = PlanCards.Find(SamplePlan.Plan, "pre-rollout-1")!.Data with
        {
            Parameters = new JsonObject
            {
                ["intro"] = "**Let op:** <script>alert('x')</script> lees [de FAQ](https://contoso.example/faq) of [dit](javascript:void).\n- eerste punt\n- tweede & laatste",
            },
        };

        var (subject, html) = CardEmail.Render(CardTemplateIds.PreEnrollment, data.ToJson(), "nl", CardEmail.TeamsChatLink(null));

        Assert.Equal("Intune device enrollment 2027: Bereid je voor: de registratie begint binnenkort", subject);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong>Let op:</strong> &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; lees <a href=\"https://contoso.example/faq\"", html, StringComparison.Ordinal);
        Assert.Contains(">de FAQ</a> of dit.", html, StringComparison.Ordinal);
        Assert.Matches("<ul [^>]*><li [^>]*>eerste punt</li><li [^>]*>tweede &amp; laatste</li></ul>", html);
    }

    [Fact]
    public void A_plan_subject_text_is_the_subject_after_the_rollout_name()
    {
        var data = PlanCards.Find(SamplePlan.Plan, "enrollment-email")!.Data;
        var parameters = (JsonObject)data.Parameters!.DeepClone();
        parameters["texts"] = new JsonObject { ["subject"] = new JsonObject { ["nl"] = "Registreer je apparaten vóór vrijdag", ["en"] = "Enroll your devices by Friday" } };

        var (nl, _) = CardEmail.Render(CardTemplateIds.Enrollment, (data with { Parameters = parameters }).ToJson(), "nl", CardEmail.TeamsChatLink(null));
        var (en, _) = CardEmail.Render(CardTemplateIds.Enrollment, (data with { Parameters = parameters }).ToJson(), "en", CardEmail.TeamsChatLink(null));

        Assert.Equal("Intune device enrollment 2027: Registreer je apparaten vóór vrijdag", nl);
        Assert.Equal("Intune device enrollment 2027: Enroll your devices by Friday", en);
    }
}

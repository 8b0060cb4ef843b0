using System.Net;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>The e-mail a plan message becomes: the <c>cards render --email</c> preview, and plan texts that must stay text.</summary>
public sealed class CardEmailTests
{
    private static (int? Code, string Out, string Err) Run(params string[] args) => CardsCliTests.Run(args);

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
    public void A_plan_subject_text_is_accepted_without_warning_and_is_the_subject_after_the_rollout_name()
    {
        var yaml = File.ReadAllText(SamplePlan.PlanPath).Replace("""
              - id: enrollment-email       # the seed's plan uses e-mail for blocks 2-5; one e-mail with the instructions
                phase: enrollment
            """, """
              - id: enrollment-email
                texts:
                  subject: { nl: "Registreer je apparaten vóór vrijdag", en: "Enroll your devices by Friday" }
                phase: enrollment
            """, StringComparison.Ordinal);
        var loaded = PlanLoader.Parse(yaml, "plan.yaml", CardMessageRules.Instance);
        Assert.True(loaded.Plan is not null && loaded.Diagnostics.Count == 0, string.Join("\n", loaded.Diagnostics));
        var data = PlanCards.Find(loaded.Plan, "enrollment-email")!.Data.ToJson();

        var (nl, _) = CardEmail.Render(CardTemplateIds.Enrollment, data, "nl", CardEmail.TeamsChatLink(null));
        var (en, _) = CardEmail.Render(CardTemplateIds.Enrollment, data, "en", CardEmail.TeamsChatLink(null));

        Assert.Equal("Intune device enrollment 2027: Registreer je apparaten vóór vrijdag", nl);
        Assert.Equal("Intune device enrollment 2027: Enroll your devices by Friday", en);
    }

    [Fact]
    public void Hidden_and_show_card_content_is_shown_images_keep_their_alt_text_and_inputs_become_one_Teams_link()
    {
        var card = JsonNode.Parse("""
            {
              "type": "AdaptiveCard", "version": "1.5",
              "body": [
                { "type": "TextBlock", "text": "Kop", "size": "Large", "weight": "Bolder" },
                { "type": "Image", "url": "https://contoso.example/logo.png", "altText": "Logo van Contoso" },
                { "type": "Image", "url": "https://contoso.example/line.png" },
                { "type": "Image", "url": "data:image/png;base64,AAAA", "altText": "Ingebed plaatje" },
                { "type": "ActionSet", "actions": [ { "type": "Action.ToggleVisibility", "title": "Toon meer", "targetElements": ["more"] } ] },
                { "type": "Container", "id": "more", "isVisible": false, "items": [ { "type": "TextBlock", "text": "Verborgen tekst" } ] },
                { "type": "FactSet", "facts": [ { "title": "Wanneer", "value": "morgen" } ] },
                { "type": "RichTextBlock", "inlines": [ { "type": "TextRun", "text": "Lees ", "weight": "Bolder" }, { "type": "TextRun", "text": "dit", "selectAction": { "type": "Action.OpenUrl", "url": "https://contoso.example/dit" } } ] },
                { "type": "Input.Text", "id": "a", "label": "Vraag een" },
                { "type": "Input.Toggle", "id": "b", "title": "Vraag twee" }
              ],
              "actions": [
                { "type": "Action.ShowCard", "title": "Details", "card": { "type": "AdaptiveCard", "body": [ { "type": "TextBlock", "text": "Uitgeklapte details" } ] } },
                { "type": "Action.OpenUrl", "title": "Open de site", "url": "https://contoso.example/site" },
                { "type": "Action.Execute", "title": "Verstuur", "verb": "x" },
                { "type": "Action.Submit", "title": "Verstuur ook" }
              ]
            }
            """)!.AsObject();

        var (subject, html) = CardEmail.FromCard(card, "nl", CardEmail.TeamsChatLink("bot-1"), rolloutName: "Uitrol 2027");

        Assert.Equal("Uitrol 2027: Kop", subject);
        Assert.Contains("<h1 ", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://contoso.example/logo.png\" alt=\"Logo van Contoso\"", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://contoso.example/line.png\" alt=\"\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", html, StringComparison.Ordinal);
        Assert.Contains(">Ingebed plaatje</p>", html, StringComparison.Ordinal);
        Assert.Contains("Verborgen tekst", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Toon meer", html, StringComparison.Ordinal);
        Assert.Contains(">Details</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Uitgeklapte details", html, StringComparison.Ordinal);
        Assert.Matches(">Wanneer</td><td [^>]*>morgen</td>", html);
        Assert.Contains("<a href=\"https://contoso.example/dit\"", html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"https://contoso.example/site\"[^>]*>Open de site</a>", html);
        Assert.DoesNotContain("Vraag een", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Verstuur", html, StringComparison.Ordinal);
        // One link to the bot's chat for both inputs and both submit buttons.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "href=\"https://teams.microsoft.com/l/chat/0/0\\?users=28:bot-1\""));
        Assert.Contains(CardStrings.Text("nl", "email.surveyButton"), html, StringComparison.Ordinal);
    }
}

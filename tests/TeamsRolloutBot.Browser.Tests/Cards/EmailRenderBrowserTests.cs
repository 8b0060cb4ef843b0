using Microsoft.Playwright;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Browser.Tests.Cards;

/// <summary>
/// Opens the e-mail of each plan template (the sample plan's messages, as <see cref="CardEmail"/> makes them for
/// sendMail) in headless Chromium: it shows the card's title and no script, every image has alt text, and it is saved
/// as a screenshot (<see cref="Screenshots"/>: the test output, or docs/cards/ through scripts/render-docs-images.sh).
/// </summary>
public sealed class EmailRenderBrowserTests(CardBrowserFixture fixture) : IClassFixture<CardBrowserFixture>
{
    private static readonly RolloutPlan Plan = PlanLoader.LoadFile(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), CardMessageRules.Instance).Plan!;

    /// <summary>The message each template's e-mail shows: the sample plan's e-mail message where it has one.</summary>
    private static readonly Dictionary<string, (string Message, string Department)> Showcase = new()
    {
        [CardTemplateIds.Introduction] = ("intro-meeting", "it"),
        [CardTemplateIds.PreEnrollment] = ("pre-rollout-1", "sales-marketing"),
        [CardTemplateIds.Enrollment] = ("enrollment-email", "retail"),
        [CardTemplateIds.Survey] = ("post-enrollment", "hr"),
    };

    private static readonly string[] Languages = ["nl", "en"];

    public static TheoryData<string, string> Emails() =>
        [.. CardTemplateIds.PlanUsable.SelectMany(id => Languages.Select(lang => (id, lang)))];

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task Email_opens_in_a_browser_with_its_title_and_is_saved_as_a_screenshot(string templateId, string language)
    {
        Assert.True(File.Exists(CardBrowserFixture.ChromiumPath), $"no browser at {CardBrowserFixture.ChromiumPath}: apt-get install -y chromium (scripts/test.sh installs it when run as root)");
        var data = Showcase.TryGetValue(templateId, out var m)
            ? PlanCards.Find(Plan, m.Message, departmentId: m.Department)!.Data
            : PlanCards.Example(Plan, templateId);
        var (subject, html) = CardEmail.Render(templateId, data.ToJson(), language, CardEmail.TeamsChatLink("00000000-0000-0000-0000-000000000b07"));
        var title = CardEmail.Title(CardRenderer.Render(templateId, data.ToJson(), language))!;

        var page = await fixture.Browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 680, Height = 300 } });
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Console += (_, message) => problems.Add($"console {message.Type}: {message.Text}");
        await page.SetContentAsync(html);

        Assert.Empty(problems);
        Assert.Equal(subject, await page.TitleAsync());
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = title, Exact = true }).IsVisibleAsync(), $"'{title}' is not a visible heading");
        Assert.Equal(0, await page.Locator("script, form, input, style, link").CountAsync());
        Assert.Equal(0, await page.Locator("img:not([alt])").CountAsync());
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathOf("cards", $"email-{templateId}.{language}.png"), FullPage = true });
        Assert.True(png.Length > 5000, "the screenshot is suspiciously small");
        await page.CloseAsync();
    }
}

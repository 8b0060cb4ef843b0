using System.Text.Json.Nodes;
using Microsoft.Playwright;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Browser.Tests.Cards;

/// <summary>Starts Debian's Chromium once for the card tests.</summary>
public sealed class CardBrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) return;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// Renders the cards with the official adaptivecards JavaScript renderer (tests/cards-js, after <c>npm ci</c>) in
/// headless Chromium, fails on any renderer error or warning, and saves the screenshots (<see cref="Screenshots"/>:
/// the test output, or docs/cards/ through scripts/render-docs-images.sh).
/// </summary>
public sealed class CardRenderBrowserTests(CardBrowserFixture fixture) : IClassFixture<CardBrowserFixture>
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly string CardsJs = Path.Combine(RepoRoot, "tests", "cards-js");
    private static readonly RolloutPlan Plan = PlanLoader.LoadFile(Path.Combine(RepoRoot, "samples", "intune-rollout.yaml"), CardMessageRules.Instance).Plan!;

    /// <summary>The card each template shows in docs/cards: the sample plan's message, or example data for the bot's own cards.</summary>
    private static CardData ShowcaseData(string templateId)
    {
        var showcase = new Dictionary<string, (string Message, string Department)>
        {
            [CardTemplateIds.Introduction] = ("intro-meeting", "it"),
            [CardTemplateIds.PreEnrollment] = ("pre-rollout-1", "sales-marketing"),
            [CardTemplateIds.Enrollment] = ("enrollment", "retail"),
            [CardTemplateIds.Survey] = ("post-enrollment", "hr"),
        };
        return showcase.TryGetValue(templateId, out var m)
            ? PlanCards.Find(Plan, m.Message, departmentId: m.Department)!.Data
            : PlanCards.Example(Plan, templateId);
    }

    private static readonly string[] Languages = ["nl", "en"];

    public static TheoryData<string, string> Showcases() =>
        [.. CardTemplateIds.All.SelectMany(id => Languages.Select(lang => (id, lang)))];

    private async Task<IPage> OpenRendererAsync()
    {
        Assert.True(File.Exists(CardBrowserFixture.ChromiumPath), $"no browser at {CardBrowserFixture.ChromiumPath}: apt-get install -y chromium (scripts/test.sh installs it when run as root)");
        var script = Path.Combine(CardsJs, "node_modules", "adaptivecards", "dist", "adaptivecards.min.js");
        Assert.True(File.Exists(script), $"the adaptivecards renderer is not installed: run 'npm ci' in {CardsJs} first.");
        var page = await fixture.Browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 560, Height = 900 } });
        var problems = new List<string>();
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning") problems.Add($"console {message.Type}: {message.Text}");
        };
        await page.GotoAsync(new Uri(Path.Combine(CardsJs, "render.html")).AbsoluteUri);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.renderCard === 'function' && !!window.AdaptiveCards"),
            "render.html did not load the adaptivecards renderer");
        Assert.Empty(problems);
        return page;
    }

    private static async Task<string[]> RenderAsync(IPage page, JsonObject card) =>
        await page.EvaluateAsync<string[]>("text => window.renderCard(JSON.parse(text))", card.ToJsonString());

    [Theory]
    [MemberData(nameof(Showcases))]
    public async Task Card_renders_without_errors_or_warnings_and_is_saved_as_a_screenshot(string templateId, string language)
    {
        var card = CardRenderer.Render(templateId, ShowcaseData(templateId).ToJson(), language);
        var page = await OpenRendererAsync();

        var events = await RenderAsync(page, card);

        Assert.True(events.Length == 0, string.Join("\n", events));
        var title = card["body"]!.AsArray().Where(b => (string?)b!["style"] == "heading").Select(b => (string)b!["text"]!).First();
        Assert.True(await page.GetByText(title, new PageGetByTextOptions { Exact = true }).First.IsVisibleAsync(), $"'{title}' is not visible");
        var png = await page.Locator("#frame").ScreenshotAsync(new LocatorScreenshotOptions
        {
            Path = Screenshots.PathOf("cards", $"{templateId}.{language}.png"),
        });
        Assert.True(png.Length > 5000, "the screenshot is suspiciously small");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Enrollment_shows_the_chosen_platform_only()
    {
        var card = CardRenderer.Render(CardTemplateIds.Enrollment, ShowcaseData(CardTemplateIds.Enrollment).ToJson(), "en");
        var page = await OpenRendererAsync();
        Assert.Empty(await RenderAsync(page, card));
        var windowsStep = page.GetByText("Install the Company Portal app from the Microsoft Store (button below).");
        var iosStep = page.GetByText("Install Intune Company Portal from the App Store (button below).");
        Assert.True(await windowsStep.IsVisibleAsync());
        Assert.False(await iosStep.IsVisibleAsync());

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "iPhone and iPad", Exact = true }).ClickAsync();

        Assert.True(await iosStep.IsVisibleAsync());
        Assert.False(await windowsStep.IsVisibleAsync());
        await page.Locator("#frame").ScreenshotAsync(new LocatorScreenshotOptions { Path = Screenshots.PathOf("cards", "enrollment-ios.en.png") });
        await page.CloseAsync();
    }

    [Fact]
    public async Task Reminder_with_platforms_shows_the_chosen_platform_only()
    {
        var data = PlanCards.Example(Plan, CardTemplateIds.Reminder) with { Parameters = JsonNode.Parse("""{ "platforms": ["ios", "android"] }""") };
        var card = CardRenderer.Render(CardTemplateIds.Reminder, data.ToJson(), "nl");
        var page = await OpenRendererAsync();
        Assert.Empty(await RenderAsync(page, card));
        var iosStep = page.GetByText("Installeer Intune Bedrijfsportal uit de App Store (knop hieronder).");
        var androidStep = page.GetByText("Installeer Intune Bedrijfsportal uit Google Play (knop hieronder).");
        Assert.True(await iosStep.IsVisibleAsync());
        Assert.False(await androidStep.IsVisibleAsync());

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Android", Exact = true }).ClickAsync();

        Assert.True(await androidStep.IsVisibleAsync());
        Assert.False(await iosStep.IsVisibleAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task Every_card_of_the_sample_plan_renders_without_errors_or_warnings()
    {
        var page = await OpenRendererAsync();
        var failures = new List<string>();
        var count = 0;
        foreach (var lang in Languages)
        {
            var cards = PlanCards.AllMessages(Plan).Select(m => ($"{m.MessageId}/{m.WaveId}/{m.DepartmentId}", m.TemplateId, m.Data))
                .Concat(CardTemplateIds.All.Select(id => ($"bot:{id}", id, PlanCards.Example(Plan, id))));
            foreach (var (name, templateId, data) in cards)
            {
                var events = await RenderAsync(page, CardRenderer.Render(templateId, data.ToJson(), lang));
                count++;
                if (events.Length > 0) failures.Add($"{name} [{lang}]: {string.Join("; ", events)}");
            }
        }
        Assert.True(count >= 80, $"only {count} cards rendered");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await page.CloseAsync();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamsRolloutBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (TeamsRolloutBot.sln) above " + AppContext.BaseDirectory);
    }
}

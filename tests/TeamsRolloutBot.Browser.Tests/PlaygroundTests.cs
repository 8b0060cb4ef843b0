using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace TeamsRolloutBot.Browser.Tests;

/// <summary>
/// Drives the real Microsoft 365 Agents Playground in headless Chromium against the real bot in local mode: what a new
/// user sees when trying the bot the way the README says. Each test gets its own bot, database and Playground.
/// </summary>
public sealed partial class PlaygroundTests
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
    private static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Personal_chat_install_posts_one_welcome_card_and_help_answers_with_what_the_bot_can_do()
    {
        var en = Texts("en");
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(page.GetByText("Connected.", new() { Exact = true }));

            // The Playground installs the bot in the personal chat on load: installationUpdate, then conversationUpdate
            // with the bot in membersAdded. Both are answered before the user types.
            await Expect(Welcome(page));
            await Expect(page.GetByText("conversationUpdate 200"));

            var compose = page.GetByRole(AriaRole.Textbox).First;
            await compose.ClickAsync();
            await compose.FillAsync("help");
            await compose.PressAsync("Enter");

            await Expect(page.GetByText(en["help.title"], new() { Exact = true }));
            await Expect(page.GetByText(en["help.employeeHeading"]));
            // Two install events, one welcome: a re-sent install must not greet the user twice.
            Assert.Equal(1, await Welcome(page).CountAsync());

            // The README screenshot: the conversation, without the log panel (it shows local file paths).
            await page.GetByTitle("Hide log panel").ClickAsync();
            await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("images", "playground-help.png") });
        });
    }

    [Fact]
    public async Task Channel_install_welcomes_the_channel_and_help_with_an_at_mention_answers_in_the_thread()
    {
        var en = Texts("en");
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(page.GetByText("Connected.", new() { Exact = true }));

            // Opening a team channel for the first time installs the bot in the team (as adding the app does in Teams).
            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            await Expect(page.GetByText("Start a new post"));
            await Expect(Welcome(page));

            var post = page.GetByRole(AriaRole.Textbox).First;
            await post.ClickAsync();
            await page.Keyboard.TypeAsync("@Intune");
            await page.GetByRole(AriaRole.Listbox).GetByText("Intune rollout assistant").ClickAsync();
            await page.Keyboard.TypeAsync(" help");
            await page.GetByRole(AriaRole.Button, new() { Name = "Post", Exact = true }).ClickAsync();

            // The bot's answer is a reply in the thread of the user's post (each post is a role=group card).
            var thread = page.GetByRole(AriaRole.Group)
                .Filter(new() { HasText = "Intune rollout assistant help" })
                .Filter(new() { Has = page.GetByText(en["help.title"], new() { Exact = true }) });
            await Expect(thread);
            Assert.Equal(1, await thread.CountAsync());
        });
    }

    [Fact]
    public async Task A_member_who_is_not_a_lead_gets_the_Dutch_help_when_the_client_is_Dutch()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        await RunAsync("member", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));

            // The Playground's chat box always sends locale en-US; a Dutch Teams client is simulated with
            // "Mock an Activity → Custom activity", here through the endpoint that dialog posts to.
            await playground.SendCustomActivityAsync(DutchMessage(playground, "hulp"), TestContext.Current.CancellationToken);

            await Expect(page.GetByText(nl["help.title"], new() { Exact = true }));
            await Expect(page.GetByText(nl["help.employeeHeading"]));
        });
    }

    /// <summary>A message from the member (tools/playground/member.yml) in their personal chat, from a Dutch client.</summary>
    private static string DutchMessage(LocalPlayground playground, string text) => new JsonObject
    {
        ["type"] = "message",
        ["id"] = Guid.NewGuid().ToString(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["channelId"] = "msteams",
        ["serviceUrl"] = playground.ServiceUrl,
        ["from"] = new JsonObject { ["id"] = "29:playground-member-bram", ["name"] = "Bram Jansen (IT, not a lead)", ["aadObjectId"] = "00000000-0000-0000-0000-0000000000b1" },
        ["recipient"] = new JsonObject { ["id"] = "28:00000000-0000-0000-0000-000000000b07", ["name"] = "Intune rollout assistant" },
        ["conversation"] = new JsonObject { ["id"] = "a:playground-personal-member", ["conversationType"] = "personal", ["tenantId"] = "00000000-0000-0000-0000-0000000000f1" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "00000000-0000-0000-0000-0000000000f1" } },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["locale"] = "nl-NL",
        ["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "nl-NL", ["country"] = "NL", ["platform"] = "Web" }),
    }.ToJsonString();

    /// <summary>
    /// Starts bot + Playground + Chromium, runs <paramref name="body"/>, and on failure keeps a screenshot, the page
    /// text and both logs in TestResults/playground/ so a red run can be understood without re-running it.
    /// </summary>
    private static async Task RunAsync(string identity, Func<IPage, LocalPlayground, Task> body, IReadOnlyDictionary<string, string>? botEnvironment = null)
    {
        Assert.True(File.Exists(ChromiumPath), $"no browser at {ChromiumPath}: apt-get install -y chromium (scripts/test.sh installs it when run as root)");
        if (LocalPlayground.MissingPrerequisite() is { } missing)
        {
            Assert.Fail(missing);
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        await using var playground = await LocalPlayground.StartAsync(identity, cancellationToken, botEnvironment);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, Locale = "en-US", TimezoneId = "Europe/Amsterdam" });
        page.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
        try
        {
            await body(page, playground);
        }
        catch (Exception)
        {
            await SaveDiagnosticsAsync(page, playground);
            throw;
        }
    }

    private static async Task SaveDiagnosticsAsync(IPage page, LocalPlayground playground)
    {
        var test = TestContext.Current.Test?.TestDisplayName ?? "playground";
        var name = string.Concat(test.Split('.').Last().Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        var folder = Path.Combine(Repository.Root, "TestResults", "playground");
        Directory.CreateDirectory(folder);
        try
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".page.txt"), await page.InnerTextAsync("body"));
        }
        catch (PlaywrightException)
        {
            // The page may be gone; the logs below still help.
        }
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".bot.log"), playground.BotOutput);
        await File.WriteAllTextAsync(Path.Combine(folder, name + ".playground.log"), playground.PlaygroundLog);
        TestContext.Current.SendDiagnosticMessage($"Playground diagnostics saved in {folder}/{name}.*");
    }

    private static Task Expect(ILocator locator) =>
        locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)UiTimeout.TotalMilliseconds });

    /// <summary>
    /// The welcome card in either language: install events carry no locale, so the welcome comes in the plan's default
    /// language unless the client told its locale before.
    /// </summary>
    private static ILocator Welcome(IPage page) =>
        page.GetByText(Texts("en")["welcome.text"]).Or(page.GetByText(Texts("nl")["welcome.text"]));

    /// <summary>The bot's own texts (Cards/Strings, flattened to dotted keys), so the tests follow wording changes but still fail when a text does not appear.</summary>
    private static Dictionary<string, string> Texts(string language)
    {
        var path = Path.Combine(Repository.Root, "src", "TeamsRolloutBot", "Cards", "Strings", $"{language}.json");
        var texts = new Dictionary<string, string>();
        void Flatten(System.Text.Json.Nodes.JsonNode? node, string prefix)
        {
            if (node is System.Text.Json.Nodes.JsonObject o)
            {
                foreach (var (key, child) in o)
                {
                    Flatten(child, prefix.Length == 0 ? key : $"{prefix}.{key}");
                }
            }
            else if (node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text))
            {
                texts[prefix] = text;
            }
        }
        Flatten(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)), "");
        return texts;
    }
}

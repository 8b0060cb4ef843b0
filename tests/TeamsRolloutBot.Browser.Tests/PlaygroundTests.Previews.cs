using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace TeamsRolloutBot.Browser.Tests;

/// <summary>
/// The lead's cards clicked as a person clicks them in the Agents Playground (which, like Teams, validates a card's
/// required inputs before it sends an action): Confirm on a confirmation card with a survey preview in it, the buttons
/// inside a preview, and every button of the plan card.
/// </summary>
public sealed partial class PlaygroundTests
{
    /// <summary>The scheduler picks a send-now request up within two seconds instead of fifteen.</summary>
    private static readonly string[] Platforms = ["windows", "ios", "android", "macos"];

    private static readonly Dictionary<string, string> FastScheduler = new() { ["Delivery__SchedulerInterval"] = "00:00:02" };

    [Fact]
    public async Task Confirm_under_a_survey_preview_sends_the_survey_and_a_click_inside_the_preview_records_nothing()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));
            // IT (expected 260 people, above Commands:ConfirmAbove) gets the post-enrollment survey.
            await SayAsync(page, "send post-enrollment to it now");
            var confirmation = Card(page, en["commands.confirm.title"]);
            await Expect(confirmation.GetByText(en["survey.title"]));
            await SaveScreenshotAsync(confirmation, "confirmation-with-survey-preview");

            // A lead fills in the preview and presses its Send button: it is drawn, but disabled, and nothing reaches the bot.
            await confirmation.GetByText(en["survey.rating5"], new() { Exact = true }).ClickAsync();
            await confirmation.GetByText(en["survey.successYes"], new() { Exact = true }).ClickAsync();
            var previewSubmit = confirmation.GetByRole(AriaRole.Button, new() { Name = en["survey.submitButton"], Exact = true });
            Assert.True(await previewSubmit.IsDisabledAsync());
            var invokes = await LoggedInvokes(page).CountAsync();
            await previewSubmit.ClickAsync(new() { Force = true });
            await page.WaitForTimeoutAsync(1500);
            Assert.Equal(invokes, await LoggedInvokes(page).CountAsync());
            Assert.Equal(0, await AnswersAsync(playground));

            // Confirm is not blocked by the preview's required questions (the Playground validates them like Teams).
            await confirmation.GetByRole(AriaRole.Button, new() { Name = en["commands.button.confirm"], Exact = true }).ClickAsync();
            await Expect(page.GetByText(en["commands.confirm.done"].Split("{0}")[0] + "Anne de Vries"));

            // The send happened: the survey arrives in this lead's own chat (IT's members are the team roster), live.
            var survey = Card(page, nl["survey.title"]).Or(Card(page, en["survey.title"]));
            var submit = survey.GetByRole(AriaRole.Button, new() { Name = nl["survey.submitButton"] }).Or(
                survey.GetByRole(AriaRole.Button, new() { Name = en["survey.submitButton"] }));
            await submit.First.WaitForAsync(new() { Timeout = 60_000 });
            Assert.True(await submit.First.IsEnabledAsync());
            Assert.Equal(0, await AnswersAsync(playground));
            await SaveScreenshotAsync(survey.First, "survey-delivered-after-confirm");

            // And as a post in the department's channel.
            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            await Expect(page.GetByText(nl["survey.title"], new() { Exact = true }).Or(page.GetByText(en["survey.title"], new() { Exact = true })));
        }, FastScheduler);
    }

    [Fact]
    public async Task Confirm_of_wave_start_now_starts_the_wave_and_its_first_message_goes_out()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        // The sample plan, with the wave's first message (pre-rollout-1, channel and members) due a minute before the
        // start, today, in the plan's time zone: starting the wave now makes it due at once.
        var amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, amsterdam);
        var due = local.TimeOfDay < TimeSpan.FromMinutes(1) ? "00:00" : local.AddMinutes(-1).ToString("HH:mm", CultureInfo.InvariantCulture);
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), TestContext.Current.CancellationToken);
        var yaml = sample.Replace("weekendSends: next-business-day", "weekendSends: keep", StringComparison.Ordinal)
            .Replace("    offset: 0w\n    time: \"09:30\"", $"    offset: 0w\n    time: \"{due}\"", StringComparison.Ordinal);
        Assert.NotEqual(sample, yaml);
        var planPath = Path.Combine(Path.GetTempPath(), "trb-browser-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(planPath, yaml, TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string>(FastScheduler) { ["Rollout__PlanPath"] = planPath };
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));

            await SayAsync(page, "wave start it now");
            var confirmation = Card(page, en["commands.confirm.title"]);
            // The preview of the wave's first message (pre-enrollment), with its link buttons.
            await Expect(confirmation.GetByText(en["preEnrollment.title"]));
            await confirmation.GetByRole(AriaRole.Button, new() { Name = en["commands.button.confirm"], Exact = true }).ClickAsync();

            // "now" is today in the plan's time zone.
            var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await Expect(page.GetByText(string.Format(CultureInfo.InvariantCulture, en["commands.wave.doneWaveStart"].Replace("**", ""), "IT", today)));

            await SayAsync(page, "status it");
            var status = Card(page, string.Format(CultureInfo.InvariantCulture, en["commands.status.waveTitle"], "IT"));
            await Expect(status.GetByText(en["commands.state.Started"], new() { Exact = true }));

            // The sends happen: the pre-enrollment message arrives in this lead's chat (IT's roster) and in IT's channel.
            var delivered = page.GetByText(nl["preEnrollment.title"], new() { Exact = true }).Or(page.GetByText(en["preEnrollment.title"], new() { Exact = true }));
            await delivered.First.WaitForAsync(new() { Timeout = 60_000 });
            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            await Expect(page.GetByText(nl["preEnrollment.title"], new() { Exact = true }).Or(page.GetByText(en["preEnrollment.title"], new() { Exact = true })).First);
        }, settings);
    }

    [Fact]
    public async Task Every_button_of_the_plan_card_answers_when_clicked()
    {
        var en = Texts("en");
        string[] waves = ["Introduction", "IT", "Sales and Marketing", "Retail", "HR, Finance and Executives"];
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));

            var planTitle = string.Format(CultureInfo.InvariantCulture, en["commands.plan.title"], "Intune device enrollment 2027");
            // Per wave: Status (the wave's status card) and Start (a confirmation: the groups cannot be counted here).
            for (var i = 0; i < waves.Length; i++)
            {
                foreach (var (button, expected) in new[]
                {
                    (en["commands.button.status"], string.Format(CultureInfo.InvariantCulture, en["commands.status.waveTitle"], waves[i])),
                    (en["commands.button.start"], en["commands.confirm.wavestart"].Replace("**", "", StringComparison.Ordinal).Split("{1}")[0].Replace("{0}", waves[i], StringComparison.Ordinal)),
                })
                {
                    var plan = await NewCardAsync(page, "plan", planTitle);
                    await plan.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).Nth(i).ClickAsync();
                    // The plan card is replaced in place by the answer.
                    await Expect(plan.GetByText(expected));
                    Assert.Equal(0, await plan.GetByText(planTitle, new() { Exact = true }).CountAsync());
                }
            }
            var last = await NewCardAsync(page, "plan", planTitle);
            await last.GetByRole(AriaRole.Button, new() { Name = en["commands.button.status"], Exact = true }).Last.ClickAsync();
            await Expect(last.GetByText(string.Format(CultureInfo.InvariantCulture, en["commands.status.title"], "Intune device enrollment 2027"), new() { Exact = true }));

            // The confirmation that replaced a plan card works too: Start Retail, Confirm.
            var start = await NewCardAsync(page, "plan", planTitle);
            await start.GetByRole(AriaRole.Button, new() { Name = en["commands.button.start"], Exact = true }).Nth(3).ClickAsync();
            await start.GetByRole(AriaRole.Button, new() { Name = en["commands.button.confirm"], Exact = true }).ClickAsync();
            await Expect(start.GetByText(string.Format(CultureInfo.InvariantCulture, en["commands.wave.doneWaveStart"].Replace("**", "", StringComparison.Ordinal), "Retail", "2027-09-06")));
        });
    }

    [Fact]
    public async Task The_buttons_of_a_preview_are_disabled_and_a_click_on_them_records_nothing()
    {
        var en = Texts("en");
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));

            await SayAsync(page, "preview post-enrollment");
            var preview = Card(page, string.Format(CultureInfo.InvariantCulture, en["commands.preview.title"], "post-enrollment"));
            await Expect(preview.GetByText(en["survey.title"]));
            await preview.GetByText(en["survey.rating4"], new() { Exact = true }).ClickAsync();
            await preview.GetByText(en["survey.successPartly"], new() { Exact = true }).ClickAsync();
            var submit = preview.GetByRole(AriaRole.Button, new() { Name = en["survey.submitButton"], Exact = true });
            Assert.True(await submit.IsDisabledAsync());
            var invokes = await LoggedInvokes(page).CountAsync();
            await submit.ClickAsync(new() { Force = true });
            await page.WaitForTimeoutAsync(1500);
            Assert.Equal(invokes, await LoggedInvokes(page).CountAsync());
            Assert.Equal(0, await AnswersAsync(playground));
            await SaveScreenshotAsync(preview, "preview-survey");

            // The enrollment preview: every platform's steps are open, and the platform buttons cannot close them.
            await SayAsync(page, "preview enrollment");
            var enrollment = Card(page, string.Format(CultureInfo.InvariantCulture, en["commands.preview.title"], "enrollment"));
            await Expect(enrollment.GetByText(en["enrollment.title"]));
            foreach (var platform in Platforms)
            {
                await Expect(enrollment.GetByText(en["enrollment.showing"].Replace("{platform}", en[$"platforms.{platform}.name"], StringComparison.Ordinal)));
                Assert.True(await enrollment.GetByRole(AriaRole.Button, new() { Name = en[$"platforms.{platform}.name"], Exact = true }).IsDisabledAsync());
            }
            await SaveScreenshotAsync(enrollment, "preview-enrollment");
        });
    }

    /// <summary>The chat's compose box (a contenteditable editor; the card inputs are text boxes too).</summary>
    private static ILocator Compose(IPage page) => page.Locator("[data-lexical-editor=true]");

    private static async Task SayAsync(IPage page, string text)
    {
        var compose = Compose(page);
        await compose.ClickAsync();
        await compose.FillAsync(text);
        await compose.PressAsync("Enter");
    }

    /// <summary>Says <paramref name="command"/> and returns the bot's card that answers it (by position: it stays there when a click replaces it).</summary>
    private static async Task<ILocator> NewCardAsync(IPage page, string command, string title)
    {
        var cards = page.Locator(".fai-OutputCard");
        var before = await cards.CountAsync();
        await SayAsync(page, command);
        var card = cards.Nth(before);
        await Expect(card.GetByText(title, new() { Exact = true }));
        return card;
    }

    /// <summary>A bot card (one message of the chat) that shows <paramref name="text"/>.</summary>
    private static ILocator Card(IPage page, string text) =>
        page.Locator(".fai-OutputCard").Filter(new() { Has = page.GetByText(text, new() { Exact = true }) });

    /// <summary>The invokes the Playground's log panel lists (one per card action it sent to the bot).</summary>
    private static ILocator LoggedInvokes(IPage page) => page.GetByText(new Regex(@"^invoke \d{3}$"));

    /// <summary>The survey answers the bot stored.</summary>
    private static async Task<long> AnswersAsync(LocalPlayground playground)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = playground.DatabasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM feedback_answers";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>A screenshot of one card, whole, in the test output (bin/.../playground-screenshots), to look at what the lead saw.</summary>
    private static async Task SaveScreenshotAsync(ILocator card, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "playground-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        // A long card does not fit the chat pane: make the window tall enough for the whole card, then back.
        var page = card.Page;
        var size = page.ViewportSize!;
        var height = (await card.BoundingBoxAsync())?.Height ?? 0;
        await page.SetViewportSizeAsync(size.Width, Math.Max(size.Height, (int)height + 400));
        await card.ScreenshotAsync(new() { Path = path });
        await page.SetViewportSizeAsync(size.Width, size.Height);
        TestContext.Current.SendDiagnosticMessage($"Screenshot: {path}");
    }
}

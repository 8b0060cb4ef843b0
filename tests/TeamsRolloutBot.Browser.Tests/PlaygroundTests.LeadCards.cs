using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace TeamsRolloutBot.Browser.Tests;

/// <summary>
/// The cards issue 18 gave the leads, clicked as a person clicks them in the Agents Playground: the approval card of a
/// wave's first send, the "sent cards differ" notice after a plan edit, and the deliveries card with its buttons.
/// </summary>
public sealed partial class PlaygroundTests
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Approve_on_the_approval_card_shows_who_approved_without_buttons_and_the_first_message_then_arrives()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        // The sample plan with wave IT starting today, `approval: required`, and its first message (pre-rollout-1)
        // due in two minutes: within approvalAhead (24 h), so the approval card goes out at once.
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"));
        var due = local.AddMinutes(2);
        Assert.Equal(local.Date, due.Date);
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), TestContext.Current.CancellationToken);
        var yaml = sample.Replace("weekendSends: next-business-day", "weekendSends: keep", StringComparison.Ordinal)
            .Replace("    offset: 0w\n    time: \"09:30\"", $"    offset: 0w\n    time: \"{due.ToString("HH:mm", CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal)
            .Replace("departments: [it], start: 2027-07-05 }", $"departments: [it], start: {local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, approval: required }}", StringComparison.Ordinal);
        Assert.Contains("approval: required", yaml, StringComparison.Ordinal);
        var settings = new Dictionary<string, string>(FastScheduler) { ["Rollout__PlanPath"] = await WritePlanAsync(yaml) };
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));
            // The lead says something, so the bot knows their chat and language before the scheduler sends the card.
            await SayAsync(page, "help");
            await Expect(page.GetByText(en["help.title"], new() { Exact = true }));

            var approval = Card(page, Format(en["commands.approval.title"], "IT")).Or(Card(page, Format(nl["commands.approval.title"], "IT")));
            await approval.First.WaitForAsync(new() { Timeout = (float)SendTimeout.TotalMilliseconds });
            var card = approval.First;
            var texts = CardLanguage(await card.InnerTextAsync(), en, nl, "commands.approval.factFirstSend");
            // The preview, the count and the schedule.
            await Expect(card.GetByText(texts["commands.approval.preview"]));
            await Expect(card.GetByText(texts["commands.approval.factPeople"]));
            await Expect(card.GetByText(texts["commands.approval.schedule"]));
            await Expect(card.GetByText(texts["preEnrollment.title"]));
            Assert.Contains("pre-rollout-1", await card.InnerTextAsync(), StringComparison.Ordinal);
            await SaveScreenshotAsync(card, "approval-card");
            Assert.Equal(0, await SentCardsAsync(playground, "pre-rollout-1"));

            var index = await IndexOfAsync(page, card);
            var cards = page.Locator(".fai-OutputCard");
            await card.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.approve"], Exact = true }).ClickAsync();

            // The card (same place in the chat) now says who approved it, and has no buttons any more.
            var approved = cards.Nth(index);
            var approvedBy = texts["commands.approval.approvedBy"].Split("{0}")[0];
            await Expect(approved.GetByText(new Regex(Regex.Escape(approvedBy) + "Anne de Vries")));
            await Expect(approved.GetByText(Format(texts["commands.approval.titleApproved"], "IT"), new() { Exact = true }));
            Assert.Equal(0, await approved.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.approve"], Exact = true }).CountAsync());
            Assert.Equal(0, await approved.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.hold"], Exact = true }).CountAsync());
            await SaveScreenshotAsync(approved, "approval-card-approved");

            // The first message then goes out at its time: a post in IT's channel.
            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            var post = page.GetByText(nl["preEnrollment.title"], new() { Exact = true }).Or(page.GetByText(en["preEnrollment.title"], new() { Exact = true }));
            await post.First.WaitForAsync(new() { Timeout = (float)SendTimeout.TotalMilliseconds });
            Assert.True(await SentCardsAsync(playground, "pre-rollout-1") > 0);
        }, settings);
    }

    [Fact]
    public async Task Hold_on_the_approval_card_says_who_holds_it_keeps_Approve_and_sends_nothing()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"));
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), TestContext.Current.CancellationToken);
        // The first send is tomorrow at 09:30 (within 24 h of the start in most hours), here two hours ahead to be sure.
        var due = local.AddHours(2);
        var yaml = sample.Replace("weekendSends: next-business-day", "weekendSends: keep", StringComparison.Ordinal)
            .Replace("    offset: 0w\n    time: \"09:30\"", $"    offset: 0w\n    time: \"{due.ToString("HH:mm", CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal)
            .Replace("departments: [it], start: 2027-07-05 }", $"departments: [it], start: {due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, approval: required }}", StringComparison.Ordinal);
        var settings = new Dictionary<string, string>(FastScheduler) { ["Rollout__PlanPath"] = await WritePlanAsync(yaml) };
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));
            await SayAsync(page, "help");
            await Expect(page.GetByText(en["help.title"], new() { Exact = true }));

            var approval = Card(page, Format(en["commands.approval.title"], "IT")).Or(Card(page, Format(nl["commands.approval.title"], "IT")));
            await approval.First.WaitForAsync(new() { Timeout = (float)SendTimeout.TotalMilliseconds });
            var card = approval.First;
            var texts = CardLanguage(await card.InnerTextAsync(), en, nl, "commands.approval.factFirstSend");
            var index = await IndexOfAsync(page, card);
            await card.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.hold"], Exact = true }).ClickAsync();

            var held = page.Locator(".fai-OutputCard").Nth(index);
            await Expect(held.GetByText(new Regex(Regex.Escape(texts["commands.approval.heldBy"].Split("{0}")[0]) + "Anne de Vries")));
            // Approve stays, and still works.
            var approve = held.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.approve"], Exact = true });
            await Expect(approve);
            await SaveScreenshotAsync(held, "approval-card-held");
            await approve.ClickAsync();
            await Expect(page.Locator(".fai-OutputCard").Nth(index).GetByText(new Regex(Regex.Escape(texts["commands.approval.approvedBy"].Split("{0}")[0]) + "Anne de Vries")));
            Assert.Equal(0, await SentCardsAsync(playground, "pre-rollout-1"));
        }, settings);
    }

    [Fact]
    public async Task Update_sent_cards_on_the_notice_after_a_plan_edit_changes_the_post_in_the_channel()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        const string oldNl = "Wat kan IT wel en niet zien?";
        const string oldEn = "What can IT see and not see?";
        const string newNl = "Wat IT van je toestel ziet (bijgewerkt)";
        const string newEn = "What IT sees on your device (updated)";
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), TestContext.Current.CancellationToken);
        Assert.Contains(oldNl, sample, StringComparison.Ordinal);
        var planPath = await WritePlanAsync(sample);
        var settings = new Dictionary<string, string>(FastScheduler) { ["Rollout__PlanPath"] = planPath };
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));

            // pre-rollout-2 is a channel post: one card in IT's channel.
            await SendNowAsync(page, en, "send pre-rollout-2 to it now");
            await WaitForAsync(async () => await SentCardsAsync(playground, "pre-rollout-2") > 0, "the channel post of pre-rollout-2");

            // The lead edits the plan file; the bot watches it and reloads.
            await File.WriteAllTextAsync(planPath, sample.Replace(oldNl, newNl, StringComparison.Ordinal).Replace(oldEn, newEn, StringComparison.Ordinal), TestContext.Current.CancellationToken);

            var notice = Card(page, en["commands.correct.noticeTitle"]).Or(Card(page, nl["commands.correct.noticeTitle"]));
            await notice.First.WaitForAsync(new() { Timeout = 60_000 });
            var card = notice.First;
            var texts = CardLanguage(await card.InnerTextAsync(), en, nl, "commands.correct.noticeTitle");
            Assert.Contains("pre-rollout-2", await card.InnerTextAsync(), StringComparison.Ordinal);
            await SaveScreenshotAsync(card, "corrections-notice");
            await card.GetByRole(AriaRole.Button, new() { Name = texts["commands.correct.buttonUpdate"], Exact = true }).ClickAsync();
            // One card: no confirmation needed; if the bot asks anyway, confirm as a lead would.
            await ConfirmIfAskedAsync(page, en, nl);
            await Expect(page.GetByText(new Regex(Regex.Escape(en["commands.correct.done"].Split("{1}")[0].Replace("`{0}`", "pre-rollout-2", StringComparison.Ordinal))))
                .Or(page.GetByText(new Regex(Regex.Escape(nl["commands.correct.done"].Split("{1}")[0].Replace("`{0}`", "pre-rollout-2", StringComparison.Ordinal))))));

            // The post in IT's channel now shows the new text, and not the old one.
            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            var updated = page.GetByText(newNl).Or(page.GetByText(newEn));
            await Expect(updated);
            Assert.Equal(0, await page.GetByText(oldNl).Or(page.GetByText(oldEn)).CountAsync());
            await SaveScreenshotAsync(page.Locator(".fai-OutputCard").Filter(new() { Has = updated }).First, "corrections-channel-post-updated");
        }, settings);
    }

    [Fact]
    public async Task Leave_as_sent_on_the_notice_says_who_left_it_and_the_post_keeps_its_text()
    {
        var en = Texts("en");
        var nl = Texts("nl");
        const string oldNl = "Wat kan IT wel en niet zien?";
        const string oldEn = "What can IT see and not see?";
        var sample = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "intune-rollout.yaml"), TestContext.Current.CancellationToken);
        var planPath = await WritePlanAsync(sample);
        var settings = new Dictionary<string, string>(FastScheduler) { ["Rollout__PlanPath"] = planPath };
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));
            await SendNowAsync(page, en, "send pre-rollout-2 to it now");
            await WaitForAsync(async () => await SentCardsAsync(playground, "pre-rollout-2") > 0, "the channel post of pre-rollout-2");

            await File.WriteAllTextAsync(planPath, sample.Replace(oldNl, "Wat IT ziet (nieuw)", StringComparison.Ordinal).Replace(oldEn, "What IT sees (new)", StringComparison.Ordinal), TestContext.Current.CancellationToken);
            var notice = Card(page, en["commands.correct.noticeTitle"]).Or(Card(page, nl["commands.correct.noticeTitle"]));
            await notice.First.WaitForAsync(new() { Timeout = 60_000 });
            var texts = CardLanguage(await notice.First.InnerTextAsync(), en, nl, "commands.correct.noticeTitle");
            await notice.First.GetByRole(AriaRole.Button, new() { Name = texts["commands.correct.buttonLeave"], Exact = true }).ClickAsync();

            var left = texts["commands.correct.left"].Split("{0}")[0];
            await Expect(page.GetByText(new Regex(Regex.Escape(left) + "Anne de Vries")));

            await page.GetByText("Intune rollout", new() { Exact = true }).ClickAsync();
            await Expect(page.GetByText(oldNl).Or(page.GetByText(oldEn)));
            Assert.Equal(0, await page.GetByText("Wat IT ziet (nieuw)").Or(page.GetByText("What IT sees (new)")).CountAsync());
        }, settings);
    }

    [Fact]
    public async Task Deliveries_of_a_wave_lists_each_recipient_and_its_buttons_answer_when_clicked()
    {
        var en = Texts("en");
        await RunAsync("lead", async (page, playground) =>
        {
            await page.GotoAsync(playground.Url.ToString());
            await Expect(Welcome(page));
            // pre-rollout-1 goes to IT's channel and every member of IT 1:1 (the Playground's team roster).
            await SendNowAsync(page, en, "send pre-rollout-1 to it now");
            await WaitForAsync(async () => await SentCardsAsync(playground, "pre-rollout-1") > 1, "the channel post and 1:1 cards of pre-rollout-1");

            var title = Format(en["commands.deliveries.title"], Format(en["commands.deliveries.scopeWave"], "IT"));
            var deliveries = await NewCardAsync(page, "deliveries it", title);
            // One line per recipient and route: the channel and the lead's own 1:1 chat, delivered.
            await Expect(deliveries.GetByText(new Regex(Regex.Escape(Format(en["commands.deliveries.channelOf"], "IT")))));
            await Expect(deliveries.GetByText(new Regex("Anne de Vries")));
            Assert.True(await deliveries.GetByText(new Regex(Regex.Escape(en["commands.deliveries.stateDelivered"]))).CountAsync() >= 2);
            await SaveScreenshotAsync(deliveries, "deliveries-wave");

            // Show failures replaces the card with the failures: the Playground refuses 1:1 chats with the other roster
            // members (UserNotFound), so those failed, grouped by reason, none worth retrying.
            await deliveries.GetByRole(AriaRole.Button, new() { Name = en["commands.deliveries.failuresButton"], Exact = true }).ClickAsync();
            await Expect(deliveries.GetByText(Format(en["commands.deliveries.failuresTitle"], Format(en["commands.deliveries.scopeWave"], "IT")), new() { Exact = true }));
            await Expect(deliveries.GetByText(new Regex(@"^\d+ " + Regex.Escape(en["commands.deliveries.failuresSummary"].Split("{0} ")[1].Split("{1}")[0]))));
            await Expect(deliveries.GetByText(new Regex("Bram Jansen.*UserNotFound")));
            Assert.Equal(0, await deliveries.GetByText(new Regex("Anne de Vries")).CountAsync());
            await SaveScreenshotAsync(deliveries, "deliveries-failures");

            // All deliveries goes back to the list, in the same card.
            await deliveries.GetByRole(AriaRole.Button, new() { Name = en["commands.deliveries.allButton"], Exact = true }).ClickAsync();
            await Expect(deliveries.GetByText(title, new() { Exact = true }));
            await Expect(deliveries.GetByText(new Regex("Anne de Vries")));
            Assert.DoesNotContain("invoke 500", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        }, FastScheduler);
    }

    /// <summary>Says a <c>send … now</c> command and confirms when the bot asks.</summary>
    private static async Task SendNowAsync(IPage page, Dictionary<string, string> en, string command)
    {
        await SayAsync(page, command);
        var confirmation = Card(page, en["commands.confirm.title"]);
        var queued = page.GetByText(new Regex(@"send\(s\) queued"));
        await Expect(confirmation.Or(queued));
        if (await confirmation.CountAsync() > 0)
        {
            await confirmation.Last.GetByRole(AriaRole.Button, new() { Name = en["commands.button.confirm"], Exact = true }).ClickAsync();
            await Expect(page.GetByText(en["commands.confirm.done"].Split("{0}")[0] + "Anne de Vries"));
        }
    }

    private static async Task ConfirmIfAskedAsync(IPage page, Dictionary<string, string> en, Dictionary<string, string> nl)
    {
        await page.WaitForTimeoutAsync(1500);
        foreach (var texts in new[] { en, nl })
        {
            var confirmation = Card(page, texts["commands.confirm.title"]);
            var confirm = confirmation.GetByRole(AriaRole.Button, new() { Name = texts["commands.button.confirm"], Exact = true });
            if (await confirm.CountAsync() > 0)
            {
                await confirm.Last.ClickAsync();
                return;
            }
        }
    }

    /// <summary>The strings of the language <paramref name="cardText"/> is in (proactive cards use the lead's stored language or the plan's).</summary>
    private static Dictionary<string, string> CardLanguage(string cardText, Dictionary<string, string> en, Dictionary<string, string> nl, string key) =>
        cardText.Contains(nl[key].Split('{')[0], StringComparison.Ordinal) && !cardText.Contains(en[key].Split('{')[0], StringComparison.Ordinal) ? nl : en;

    private static async Task<int> IndexOfAsync(IPage page, ILocator card)
    {
        var cards = page.Locator(".fai-OutputCard");
        var text = await card.InnerTextAsync();
        for (var i = await cards.CountAsync() - 1; i >= 0; i--)
        {
            if (await cards.Nth(i).InnerTextAsync() == text)
            {
                return i;
            }
        }
        throw new InvalidOperationException("card not found");
    }

    private static string Format(string format, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, format.Replace("**", "", StringComparison.Ordinal), values);

    private static async Task<string> WritePlanAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), "trb-browser-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(path, yaml, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + SendTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The cards of <paramref name="messageId"/> the bot recorded as put in Teams.</summary>
    private static async Task<long> SentCardsAsync(LocalPlayground playground, string messageId)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = playground.DatabasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sent_cards WHERE message_id = $message";
        command.Parameters.AddWithValue("$message", messageId);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}

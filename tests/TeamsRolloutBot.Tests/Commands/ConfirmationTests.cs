using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Sends to many people wait for a confirmation card; confirming twice acts once; declining and expiry act never.</summary>
public sealed class ConfirmationTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private static string ConfirmationId(Reply reply) =>
        reply.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();

    private static JsonObject Data(string id) => new() { ["confirmationId"] = id };

    private async Task<int> AuditCountAsync(string command, string result) =>
        (await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(50, TestContext.Current.CancellationToken))
        .Count(e => e.Command == command && e.Result == result);

    [Fact]
    public async Task Confirming_twice_or_a_redelivered_confirmation_acts_once()
    {
        var reply = await bot.AskAsync("send enroll to big now");
        Assert.Contains("Send `enroll` to Big now?", reply.Text, StringComparison.Ordinal);
        Assert.Contains("People: exactly 120", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Channel posts: 0", reply.Text, StringComparison.Ordinal);
        var id = ConfirmationId(reply);

        var click = bot.CardAction("confirm", Data(id));
        var first = await bot.InvokeAsync(click);
        var redelivered = await bot.InvokeAsync(click);
        var second = await bot.InvokeAsync(bot.CardAction("confirm", Data(id)));

        Assert.Contains("Confirmed by Lotte Lead", Reply.Visible(first.Body!["value"]!), StringComparison.Ordinal);
        Assert.Contains("Sending `enroll` to Big: 1 send(s) queued", Reply.Visible(first.Body!["value"]!), StringComparison.Ordinal);
        Assert.Equal(200, redelivered.Status);
        // The class shares one fake clock and other tests move it, so only the shape of the time is fixed here.
        Assert.Matches(@"Already confirmed by Lotte Lead at \d{4}-\d{2}-\d{2} \d{2}:\d{2}; nothing was done again\.", Reply.Visible(second.Body!["value"]!));

        Assert.Equal(1, await AuditCountAsync("send enroll to big now", AuditResults.Confirmed));
        Assert.Equal(1, await AuditCountAsync("send enroll to big now", AuditResults.Done));
    }

    [Fact]
    public async Task Cancelling_the_confirmation_sends_nothing_and_a_later_confirm_does_nothing()
    {
        var reply = await bot.AskAsync("verstuur prepare naar main nu", locale: "nl-NL");
        Assert.Contains("`prepare` nu versturen aan Hoofdgolf?", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Mensen: precies 120", reply.Text, StringComparison.Ordinal);
        var id = ConfirmationId(reply);

        var declined = await bot.InvokeAsync(bot.CardAction("decline", Data(id), locale: "nl-NL"));
        Assert.Contains("Geannuleerd door Lotte Lead", Reply.Visible(declined.Body!["value"]!), StringComparison.Ordinal);
        var late = await bot.InvokeAsync(bot.CardAction("confirm", Data(id)));
        Assert.Contains("Already cancelled by Lotte Lead", Reply.Visible(late.Body!["value"]!), StringComparison.Ordinal);
        Assert.Equal(0, await AuditCountAsync("send prepare to main now", AuditResults.Confirmed));
        Assert.Equal(1, await AuditCountAsync("send prepare to main now", AuditResults.Declined));
    }

    [Fact]
    public async Task Only_the_lead_who_asked_can_confirm_and_a_non_lead_cannot_at_all()
    {
        var reply = await bot.AskAsync("send prepare to big now");
        var id = ConfirmationId(reply);

        var other = await bot.InvokeAsync(bot.CardAction("confirm", Data(id), SecondLeadId));
        Assert.Contains("Only Lotte Lead, who asked for this, can confirm it.", other.Body!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var member = await bot.InvokeAsync(bot.CardAction("confirm", Data(id), MemberId, channel: true));
        Assert.Contains("only available to the rollout's project leads", member.Body!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        var mine = await bot.InvokeAsync(bot.CardAction("confirm", Data(id)));
        Assert.Contains("Confirmed by Lotte Lead", Reply.Visible(mine.Body!["value"]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_expires()
    {
        var reply = await bot.AskAsync("send prepare to main now");
        var id = ConfirmationId(reply);
        bot.Clock.Advance(TimeSpan.FromMinutes(31));
        var late = await bot.InvokeAsync(bot.CardAction("confirm", Data(id)));
        Assert.Contains("This confirmation has expired", Reply.Visible(late.Body!["value"]!), StringComparison.Ordinal);
        Assert.Equal(0, await AuditCountAsync("send prepare to main now", AuditResults.Confirmed));
    }

    [Fact]
    public async Task A_small_send_needs_no_confirmation_and_is_queued_for_the_delivery_engine()
    {
        var before = bot.Teams.Calls.Count;
        var reply = await bot.AskAsync("send enroll to small now");
        Assert.Contains("Sending `enroll` to Small: 1 send(s) queued", reply.Text, StringComparison.Ordinal);
        // The only connector call is the reply itself.
        Assert.Single(bot.Teams.Calls.Skip(before));
    }

    [Fact]
    public async Task An_unknown_confirmation_id_is_explained()
    {
        var (_, body) = await bot.InvokeAsync(bot.CardAction("confirm", Data("does-not-exist")));
        Assert.Contains("does not exist", Reply.Visible(body!["value"]!), StringComparison.Ordinal);
    }
}

/// <summary>A department whose group cannot be counted: the count is an estimate and confirmation is always asked.</summary>
public sealed class UncountableRecipientsTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task When_Graph_cannot_count_the_estimate_is_shown_and_confirmation_is_required()
    {
        bot.Graph.Directory.GroupCounts.TryRemove(BigGroup, out _);
        var reply = await bot.AskAsync("send prepare to big now");
        Assert.Contains("People: about 100 (not exact: could not count big)", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.Actions, a => a["verb"]!.GetValue<string>() == "confirm");
    }
}

/// <summary>Starting the big wave: the confirmation card, then the state after confirming (own bot: the wave state matters).</summary>
public sealed class WaveStartConfirmationTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private static string ConfirmationId(Reply reply) =>
        reply.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();

    private static JsonObject Data(string id) => new() { ["confirmationId"] = id };

    private async Task<int> AuditCountAsync(string command, string result) =>
        (await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(50, TestContext.Current.CancellationToken))
        .Count(e => e.Command == command && e.Result == result);

    [Fact]
    public async Task Starting_a_wave_of_120_people_asks_for_confirmation_with_the_exact_count_and_a_preview()
    {
        var reply = await bot.AskAsync("wave start main 2027-08-09");
        Assert.Contains("Please confirm", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Start wave **Main wave** on 2027-08-09?", reply.Text, StringComparison.Ordinal);
        Assert.Contains("People: exactly 120", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Channel posts: 1", reply.Text, StringComparison.Ordinal);
        // The card preview: the pre-enrollment card the department would get.
        Assert.Contains("Get ready: enrollment starts soon", reply.Text, StringComparison.Ordinal);
        Assert.Contains(bot.Graph.Calls, c => c.Path.Contains(BigGroup + "/transitiveMembers/microsoft.graph.user/$count", StringComparison.Ordinal) && c.Header("ConsistencyLevel") == "eventual");
        Assert.Equal(["confirm", "decline"], reply.Actions.Select(a => a["verb"]!.GetValue<string>()));

        // Nothing changed yet.
        Assert.Contains("State: scheduled", (await bot.AskAsync("status main")).Text, StringComparison.Ordinal);

        var (status, body) = await bot.InvokeAsync(bot.CardAction("confirm", Data(ConfirmationId(reply))));
        Assert.Equal(200, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        var card = Reply.Visible(body["value"]!);
        Assert.Matches(@"Confirmed by Lotte Lead at 2027-07-01 \d{2}:\d{2}\.", card);
        Assert.Contains("Wave **Main wave** starts on 2027-08-09.", card, StringComparison.Ordinal);
        Assert.Empty(Reply.AllActions(body["value"]!));

        var after = await bot.AskAsync("status main");
        Assert.Contains("State: started", after.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-08-09 (planned: 2027-08-02)", after.Text, StringComparison.Ordinal);
    }
}

/// <summary>Five clicks on the same Confirm button at once (own bot: the wave state matters).</summary>
public sealed class ConcurrentConfirmationTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private static string ConfirmationId(Reply reply) =>
        reply.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();

    private static JsonObject Data(string id) => new() { ["confirmationId"] = id };

    private async Task<int> AuditCountAsync(string command, string result) =>
        (await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(50, TestContext.Current.CancellationToken))
        .Count(e => e.Command == command && e.Result == result);

    [Fact]
    public async Task Concurrent_double_clicks_act_once()
    {
        var reply = await bot.AskAsync("wave start main now");
        var id = ConfirmationId(reply);
        var clicks = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => bot.InvokeAsync(bot.CardAction("confirm", Data(id)))));
        Assert.Single(clicks, c => Reply.Visible(c.Body!["value"]!).Contains("Confirmed by", StringComparison.Ordinal));
        Assert.Equal(4, clicks.Count(c => Reply.Visible(c.Body!["value"]!).Contains("Already confirmed", StringComparison.Ordinal)));
        Assert.Equal(1, await AuditCountAsync("wave start main 2027-07-01", AuditResults.Done));
    }
}

/// <summary>A channel post reaches everyone in the department's channel: it is counted and confirmed like a 1:1 send.</summary>
public sealed class ChannelPostConfirmationTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task A_channel_only_message_to_a_large_department_asks_for_confirmation()
    {
        var original = await File.ReadAllTextAsync(bot.PlanPath, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(bot.PlanPath, original.Replace("    audience: members\n", "    audience: channel\n", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            Assert.Contains("loaded", (await bot.AskAsync("plan reload")).Text, StringComparison.Ordinal);
            var reply = await bot.AskAsync("send enroll to big now");
            Assert.Contains("People: exactly 120", reply.Text, StringComparison.Ordinal);
            Assert.Contains("Channel posts: 1", reply.Text, StringComparison.Ordinal);
            Assert.Contains(reply.Actions, a => a["verb"]!.GetValue<string>() == "confirm");
        }
        finally
        {
            await File.WriteAllTextAsync(bot.PlanPath, original, TestContext.Current.CancellationToken);
            await bot.AskAsync("plan reload");
        }
    }
}

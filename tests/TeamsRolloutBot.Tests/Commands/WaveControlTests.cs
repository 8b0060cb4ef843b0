using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Starting, pausing, resuming and cancelling waves by text and by card buttons; every change is audited.</summary>
public sealed class WaveControlTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private static JsonObject Run(string command) => new() { ["command"] = command };

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() =>
        await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(50, TestContext.Current.CancellationToken);

    private static List<string> ScheduleLines(Reply reply) =>
        [.. reply.Text.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l.Replace(" — paused", "", StringComparison.Ordinal))];

    [Fact]
    public async Task Pausing_and_resuming_a_running_wave_keeps_every_send_exactly_once()
    {
        var started = await bot.AskAsync("wave start pilot now");
        Assert.Contains("Wave **Pilot wave** starts on 2027-07-01.", started.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("sending does not follow", started.Text, StringComparison.Ordinal);
        Assert.Contains("State: started", started.Text, StringComparison.Ordinal);
        var scheduleBefore = ScheduleLines(await bot.AskAsync("schedule pilot"));
        Assert.Equal(3, scheduleBefore.Count);
        Assert.Contains("- 2027-07-01 09:30: `prepare` to Small (channel)", scheduleBefore);

        var paused = await bot.AskAsync("wave pause pilot");
        Assert.Contains("Wave **Pilot wave** is paused: nothing of it is sent until it is resumed.", paused.Text, StringComparison.Ordinal);
        Assert.Contains("State: paused", paused.Text, StringComparison.Ordinal);
        Assert.Contains("Next send: none", paused.Text, StringComparison.Ordinal);
        Assert.Equal(["wave resume pilot", "wave cancel pilot", "status pilot"], paused.Actions.Select(a => a["data"]!["command"]!.GetValue<string>()));
        var whilePaused = await bot.AskAsync("schedule pilot");
        Assert.Equal(3, whilePaused.Text.Split('\n').Count(l => l.EndsWith("— paused", StringComparison.Ordinal)));

        var again = await bot.AskAsync("golf pauzeer pilot", locale: "nl-NL");
        Assert.Contains("Golf **Proefgolf** is al gepauzeerd: er is niets veranderd.", again.Text, StringComparison.Ordinal);

        var resumed = await bot.AskAsync("wave resume pilot");
        Assert.Contains("Wave **Pilot wave** is resumed.", resumed.Text, StringComparison.Ordinal);
        Assert.Contains("State: started", resumed.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-07-01 (planned: 2027-07-05)", resumed.Text, StringComparison.Ordinal);
        var scheduleAfter = ScheduleLines(await bot.AskAsync("schedule pilot"));
        // Nothing lost, nothing doubled: the same sends, each once, at the same times.
        Assert.Equal(scheduleBefore, scheduleAfter);
        Assert.Equal(scheduleAfter.Count, scheduleAfter.Distinct().Count());

        var audit = (await AuditAsync()).Where(e => e.Command.EndsWith("pilot", StringComparison.Ordinal) || e.Command.StartsWith("wave start pilot", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, e => e.Command == "wave start pilot 2027-07-01" && e.Result == AuditResults.Done);
        Assert.Single(audit, e => e.Command == "wave pause pilot" && e.Result == AuditResults.Done);
        Assert.Single(audit, e => e.Command == "wave pause pilot" && e.Result == AuditResults.Failed);
        Assert.Single(audit, e => e.Command == "wave resume pilot" && e.Result == AuditResults.Done);
        Assert.All(audit, e => Assert.Equal("Lotte Lead", e.UserName));
    }

    [Fact]
    public async Task Cancelling_a_wave_stops_it_and_it_cannot_be_resumed_only_started_again()
    {
        var cancelled = await bot.AskAsync("golf annuleer autumn", locale: "nl-NL");
        Assert.Contains("Golf **Herfst** is geannuleerd: er wordt niets meer van verstuurd.", cancelled.Text, StringComparison.Ordinal);
        Assert.Contains("Status: geannuleerd", cancelled.Text, StringComparison.Ordinal);
        Assert.Equal(["wave start autumn", "status autumn"], cancelled.Actions.Select(a => a["data"]!["command"]!.GetValue<string>()));

        var resume = await bot.AskAsync("wave resume autumn");
        Assert.Contains("Wave **Autumn** is cancelled, not paused; start it again with `wave start autumn`.", resume.Text, StringComparison.Ordinal);
        var pause = await bot.AskAsync("wave pause autumn");
        Assert.Contains("is cancelled; start it again", pause.Text, StringComparison.Ordinal);

        var plan = await bot.AskAsync("plan");
        Assert.Contains("**Autumn** (`autumn`): starts 2027-09-06 · Small · cancelled", plan.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("`prepare` to Small (channel)\n- 2027-09", plan.Text, StringComparison.Ordinal);

        var restarted = await bot.AskAsync("wave start autumn");
        Assert.Contains("Wave **Autumn** starts on 2027-09-06.", restarted.Text, StringComparison.Ordinal);
        Assert.Contains("State: started", restarted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buttons_run_the_same_actions_and_the_card_is_updated_in_place()
    {
        var (status, body) = await bot.InvokeAsync(bot.CardAction("run", Run("wave pause winter")));
        Assert.Equal(200, status);
        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        var card = body["value"]!;
        Assert.Contains("Wave **Winter** is paused", Reply.Visible(card), StringComparison.Ordinal);
        Assert.Contains("wave resume winter", Reply.AllActions(card).Select(a => a["data"]!["command"]!.GetValue<string>()));

        var (_, resumed) = await bot.InvokeAsync(bot.CardAction("run", Run("wave resume winter"), channel: true));
        Assert.Contains("Wave **Winter** is resumed.", Reply.Visible(resumed!["value"]!), StringComparison.Ordinal);
        Assert.Contains("State: scheduled", Reply.Visible(resumed["value"]!), StringComparison.Ordinal);

        var (_, refresh) = await bot.InvokeAsync(bot.CardAction("run", Run("status")));
        Assert.Contains("Lotte Lead: `wave resume winter`: done", Reply.Visible(refresh!["value"]!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_button_click_by_a_non_lead_is_refused_and_changes_nothing()
    {
        var (_, body) = await bot.InvokeAsync(bot.CardAction("run", Run("wave cancel winter"), MemberId, channel: true));
        Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
        Assert.Contains("only available to the rollout's project leads", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("State: cancelled", (await bot.AskAsync("status winter")).Text, StringComparison.Ordinal);
        var audit = await AuditAsync();
        Assert.Contains(audit, e => e.Command == "wave cancel winter" && e.Result == AuditResults.Refused && e.UserAadObjectId == MemberId);
    }

    [Fact]
    public async Task An_Action_Submit_fallback_from_an_old_client_runs_the_command_too()
    {
        var activity = bot.Personal("");
        activity.Remove("text");
        activity["value"] = new JsonObject { ["verb"] = "run", ["command"] = "status main" };
        var reply = new Reply(Assert.Single(await bot.SayAsync(activity)));
        Assert.Contains("Wave status: Main wave", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_button_whose_data_has_the_wrong_JSON_types_runs_nothing_and_says_so()
    {
        // A forged or garbled click: the typed payloads read a number where a string belongs as absent.
        var (status, run) = await bot.InvokeAsync(bot.CardAction("run", new JsonObject { ["command"] = 5 }));
        Assert.Equal(200, status);
        Assert.Equal("This button is not supported (any more). Type **help** for the commands.", run!["value"]!.GetValue<string>());

        var (_, confirm) = await bot.InvokeAsync(bot.CardAction("confirm", new JsonObject { ["confirmationId"] = new JsonArray("x") }));
        Assert.Contains("This confirmation does not exist (any more).", Reply.Visible(confirm!["value"]!), StringComparison.Ordinal);

        var (_, submit) = await bot.InvokeAsync(bot.CardAction("run", new JsonObject { ["command"] = new JsonObject { ["text"] = "wave cancel main" } }));
        Assert.Equal("This button is not supported (any more). Type **help** for the commands.", submit!["value"]!.GetValue<string>());
        Assert.DoesNotContain(await AuditAsync(), e => e.Command == "wave cancel main");
        Assert.Contains("State: scheduled", (await bot.AskAsync("status main")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_buttons_keep_their_style_and_an_Action_Submit_fallback_with_the_same_command()
    {
        var card = (await bot.AskAsync("status winter")).Card!;
        var actions = card["actions"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["Pause", "Cancel wave", "Refresh"], actions.Select(a => a["title"]!.GetValue<string>()));
        Assert.Equal("destructive", actions[1]["style"]!.GetValue<string>());
        foreach (var action in actions)
        {
            Assert.Equal("none", action["associatedInputs"]!.GetValue<string>());
            var fallback = action["fallback"]!;
            Assert.Equal("Action.Submit", fallback["type"]!.GetValue<string>());
            Assert.Equal("run", fallback["data"]!["verb"]!.GetValue<string>());
            Assert.Equal(action["data"]!["command"]!.GetValue<string>(), fallback["data"]!["command"]!.GetValue<string>());
        }
        Assert.Equal("wave cancel winter", actions[1]["data"]!["command"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wave_state_survives_a_restart_of_the_bot()
    {
        await bot.AskAsync("wave pause main");
        Assert.IsType<LocalWaveControl>(bot.Services.GetRequiredService<IWaveControl>());
        // The delivery engine that follows these states is part of the app.
        Assert.NotNull(bot.Services.GetService<TeamsRolloutBot.Storage.IDeliveryStore>());
        var plan = bot.Services.GetRequiredService<TeamsRolloutBot.Plan.PlanProvider>().Current!;
        // A second wave control over the same SQLite file (what a restarted bot would build) reads the same state.
        var fresh = ActivatorUtilities.CreateInstance<LocalWaveControl>(bot.Services);
        var status = await fresh.GetStatusAsync(plan.FindWave("main")!, TestContext.Current.CancellationToken);
        Assert.Equal(WaveState.Paused, status.State);
        Assert.Equal("Lotte Lead", status.ChangedBy);
        await bot.AskAsync("wave resume main");
    }
}

/// <summary>The buttons of the delivery progress card (Cards template "status") reach the same wave actions.</summary>
public sealed class ProgressCardButtonTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task Pause_and_resume_on_the_progress_card_change_the_wave()
    {
        var data = new JsonObject { ["waveId"] = "main" };
        var (_, paused) = await bot.InvokeAsync(bot.CardAction("status.pause", data));
        Assert.Contains("Wave **Main wave** is paused", Reply.Visible(paused!["value"]!), StringComparison.Ordinal);
        var (_, resumed) = await bot.InvokeAsync(bot.CardAction("status.resume", (JsonObject)data.DeepClone()));
        Assert.Contains("Wave **Main wave** is resumed.", Reply.Visible(resumed!["value"]!), StringComparison.Ordinal);
        var (_, refreshed) = await bot.InvokeAsync(bot.CardAction("status.refresh", (JsonObject)data.DeepClone(), MemberId));
        Assert.Contains("only available to the rollout's project leads", refreshed!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

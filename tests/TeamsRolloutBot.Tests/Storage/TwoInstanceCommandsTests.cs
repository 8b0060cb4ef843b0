using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Tests.Commands;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// Two bot instances on one storage account (Azurite), each with its own SQLite file: a lead's commands on one are
/// what the other sees, and a confirmation clicked on both acts once.
/// </summary>
public sealed class TwoInstanceCommandsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 7, 1, 8, 0, 0, TimeSpan.Zero));
    private FakeGraph _graph = null!;
    private TestBot _first = null!;
    private TestBot _second = null!;

    public async ValueTask InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _graph.Directory.GroupCounts[CommandsHarness.BigGroup] = 120;
        _first = await TestBot.Create()
            .WithAzurite(azurite.ConnectionString, "c" + Guid.NewGuid().ToString("N")[..12])
            .WithPlan(CommandsHarness.Plan)
            .WithGraph(_graph.BaseUrl)
            .WithSetting("Commands:ConfirmAbove", "50")
            .WithSetting("Delivery:Enabled", "false")
            .WithCommandsClock(_clock)
            .StartAsync();
        _second = await _first.StartSecondInstanceAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task A_wave_command_on_one_instance_holds_on_the_other_and_a_cancel_there_is_not_undone()
    {
        Assert.Contains("Wave **Pilot wave** is paused", (await AskAsync(_first, "wave pause pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("Wave **Pilot wave** already is paused", (await AskAsync(_second, "wave pause pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("Wave **Pilot wave** is resumed", (await AskAsync(_second, "wave resume pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("is cancelled", (await AskAsync(_second, "wave cancel pilot")).Text, StringComparison.Ordinal);
        Assert.Contains("is cancelled; start it again", (await AskAsync(_first, "wave pause pilot")).Text, StringComparison.Ordinal);

        // Both instances' delivery engines hold the wave, and both see every command in the audit log.
        foreach (var instance in new[] { _first, _second })
        {
            Assert.Equal(["pilot"], WaveStates.Held(await instance.Services.GetRequiredService<IWaveStateStore>().ReadAllAsync(Ct)));
            var audit = await instance.Services.GetRequiredService<IAuditLog>().LatestAsync(50, Ct);
            Assert.Equal(["wave pause pilot", "wave cancel pilot", "wave resume pilot", "wave pause pilot", "wave pause pilot"],
                audit.Where(e => e.Command.EndsWith("pilot", StringComparison.Ordinal)).Select(e => e.Command));
        }
    }

    [Fact]
    public async Task A_confirmation_clicked_on_both_instances_at_once_sends_once()
    {
        var ask = await AskAsync(_first, "send enroll to big now");
        var id = ask.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();

        var clicks = await Task.WhenAll(InvokeAsync(_first, Click(id)), InvokeAsync(_second, Click(id)), InvokeAsync(_second, Click(id)));
        var texts = clicks.Select(c => Reply.Visible(c!["value"]!)).ToList();
        Assert.Single(texts, t => t.Contains("Confirmed by Lotte Lead", StringComparison.Ordinal));
        Assert.Equal(2, texts.Count(t => t.Contains("Already confirmed by Lotte Lead", StringComparison.Ordinal)));

        var requests = await _second.Services.GetRequiredService<IWaveStateStore>().ReadSendNowAsync(Ct);
        Assert.Equal(("main", "enroll", "big"), (Assert.Single(requests).WaveId, requests[0].MessageId, string.Join(",", requests[0].DepartmentIds)));
        var audit = await _first.Services.GetRequiredService<IAuditLog>().LatestAsync(50, Ct);
        Assert.Single(audit, e => e.Command == "send enroll to big now" && e.Result == AuditResults.Confirmed);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private JsonObject Personal(string text)
    {
        var activity = TestActivities.PersonalMessage(_first.ServiceUrl, text, "en-US");
        activity["from"] = CommandsHarness.From(CommandsHarness.LeadId);
        activity["conversation"]!["id"] = "a:personal-" + CommandsHarness.LeadId;
        return activity;
    }

    private JsonObject Click(string confirmationId)
    {
        var activity = Personal("");
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity.Remove("text");
        activity.Remove("entities");
        activity["replyToId"] = "card-activity-1";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "confirm", ["data"] = new JsonObject { ["confirmationId"] = confirmationId } },
            ["trigger"] = "manual",
        };
        return activity;
    }

    private async Task<Reply> AskAsync(TestBot instance, string text)
    {
        // A lead types one command after another: the audit log orders them by time across instances.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var before = _first.Teams.Calls.Count;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await instance.PostAsync(Personal(text))).StatusCode);
        return new Reply(Assert.Single(_first.CallsSince(before)));
    }

    private static async Task<JsonNode?> InvokeAsync(TestBot instance, JsonObject activity) => (await instance.PostAsync(activity)).Body;
}

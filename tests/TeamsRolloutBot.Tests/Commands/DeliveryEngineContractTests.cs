using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// A delivery engine registered as <see cref="IWaveControl"/> replaces the stand-in: the commands then report its
/// counts and queued sends instead of "not sent". The engine here records calls and keeps state like the stand-in.
/// </summary>
public sealed class DeliveryEngineContractTests : IAsyncLifetime
{
    private readonly CommandsHarness _bot = new();
    private RecordingEngine _engine = null!;
    private TestBot _withEngine = null!;

    public async ValueTask InitializeAsync()
    {
        await _bot.InitializeAsync();
        _withEngine = await _bot.Bot.StartSecondInstanceAsync(builder => builder.WithServices(services =>
            services.AddSingleton<IWaveControl>(sp => _engine = new RecordingEngine(ActivatorUtilities.CreateInstance<LocalWaveControl>(sp)))));
    }

    public async ValueTask DisposeAsync()
    {
        await _withEngine.DisposeAsync();
        await _bot.DisposeAsync();
    }

    private async Task<Reply> AskAsync(string text)
    {
        var before = _bot.Teams.Calls.Count;
        await _withEngine.PostAsync(_bot.Personal(text));
        return new Reply(Assert.Single(_bot.Bot.CallsSince(before)));
    }

    [Fact]
    public async Task Sends_go_to_the_engine_and_status_shows_its_counts()
    {
        var sent = await AskAsync("send enroll to small now");
        Assert.Contains("Sending `enroll` to Small: 3 send(s) queued;", sent.Text, StringComparison.Ordinal);
        var (_, message, departments, actor) = Assert.Single(_engine.SendNow);
        Assert.Equal(("enroll", "small", "Lotte Lead"), (message, string.Join(",", departments), actor));

        var status = await AskAsync("status pilot");
        Assert.Contains("Deliveries: 7 delivered, 1 failed, 2 waiting, 0 skipped", status.Text, StringComparison.Ordinal);

        var paused = await AskAsync("wave pause pilot");
        Assert.Contains("is paused", paused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("sending does not follow", paused.Text, StringComparison.Ordinal);
        Assert.Contains("pause pilot", _engine.Actions);
    }

    [Fact]
    public async Task A_confirmed_send_reaches_the_engine_once_keyed_by_the_confirmation_id()
    {
        var card = await AskAsync("send enroll to big now");
        var id = card.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();
        for (var click = 0; click < 3; click++)
        {
            var response = await _withEngine.PostAsync(_bot.CardAction("confirm", new System.Text.Json.Nodes.JsonObject { ["confirmationId"] = id }));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        var send = Assert.Single(_engine.SendNow, s => s.Departments.SequenceEqual(["big"]));
        Assert.Equal(id, send.RequestId);
    }

    private sealed class RecordingEngine(LocalWaveControl state) : IWaveControl
    {
        public ConcurrentQueue<(string RequestId, string Message, IReadOnlyList<string> Departments, string Actor)> SendNow { get; } = new();
        public ConcurrentQueue<string> Actions { get; } = new();

        public Task<WaveActionResult> StartAsync(Wave wave, DateOnly? startDate, string actor, CancellationToken cancellationToken)
        {
            Actions.Enqueue("start " + wave.Id);
            return state.StartAsync(wave, startDate, actor, cancellationToken);
        }

        public Task<WaveActionResult> PauseAsync(Wave wave, string actor, CancellationToken cancellationToken)
        {
            Actions.Enqueue("pause " + wave.Id);
            return state.PauseAsync(wave, actor, cancellationToken);
        }

        public Task<WaveActionResult> ResumeAsync(Wave wave, string actor, CancellationToken cancellationToken)
        {
            Actions.Enqueue("resume " + wave.Id);
            return state.ResumeAsync(wave, actor, cancellationToken);
        }

        public Task<WaveActionResult> CancelAsync(Wave wave, string actor, CancellationToken cancellationToken)
        {
            Actions.Enqueue("cancel " + wave.Id);
            return state.CancelAsync(wave, actor, cancellationToken);
        }

        public Task<SendNowResult> SendNowAsync(string requestId, PlanMessage message, IReadOnlyList<Department> departments, string actor, CancellationToken cancellationToken)
        {
            Assert.False(string.IsNullOrEmpty(requestId));
            SendNow.Enqueue((requestId, message.Id, [.. departments.Select(d => d.Id)], actor));
            return Task.FromResult(new SendNowResult(true, 3));
        }

        public async Task<WaveStatus> GetStatusAsync(Wave wave, CancellationToken cancellationToken) =>
            await state.GetStatusAsync(wave, cancellationToken) with { Deliveries = new DeliveryCounts(7, 1, 2) };

        public Task<RecipientCount> CountRecipientsAsync(IReadOnlyList<PlanMessage> messages, IReadOnlyList<Department> departments, CancellationToken cancellationToken) =>
            state.CountRecipientsAsync(messages, departments, cancellationToken);
    }
}

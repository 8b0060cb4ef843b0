using Microsoft.Extensions.Options;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// While a wave message goes out, keeps one status card per lead up to date in place (sent, delivered, failed,
/// pending, rate, ETA); when nothing is pending any more the card turns into the final summary and the lead gets a
/// short summary message (a notification the in-place update does not give). The card says when a lead paused the wave;
/// a cancelled wave's card says so once and then stays as it is. A finished card comes back to life when jobs of its wave
/// message are queued again (a lead's retry, a restarted wave).
/// </summary>
public sealed partial class ProgressReporter(
    DeliveryPlanSource plans,
    IDeliveryStore store,
    LeadMessenger leads,
    DeliveryContent content,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<ProgressReporter> logger,
    ILeadership leadership,
    TeamsRolloutBot.Commands.IWaveStateStore waveStates) : BackgroundService
{
    private readonly Dictionary<(string, string), (int Finished, DateTimeOffset At, double? Rate)> _last = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ProgressInterval, time, stoppingToken);
                // Several instances: the leader alone updates the leads' status cards.
                await leadership.WaitForLeadershipAsync(stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogProgressFailed(logger, ex);
            }
        }
    }

    /// <summary>One pass over the wave messages with pending or recently finished jobs.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var plan = await plans.CurrentAsync(cancellationToken);
        if (plan is null)
        {
            return;
        }
        var leadIds = await leads.LeadsAsync(plan, cancellationToken);
        if (leadIds.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var states = await waveStates.ReadAllAsync(cancellationToken);
        foreach (var p in await store.GetProgressAsync(now - options.Value.ProgressInterval * 3, cancellationToken))
        {
            var state = states.TryGetValue(p.WaveId, out var stored) ? stored.State : TeamsRolloutBot.Commands.WaveState.Started;
            // A cancelled wave's queued jobs are never sent: its card is final as soon as it says so.
            var cancelled = state == TeamsRolloutBot.Commands.WaveState.Cancelled && p.Queued > 0;
            var final = p.Queued == 0 || cancelled;
            var rate = Rate(p, now);
            TimeSpan? eta = rate is > 0 ? TimeSpan.FromSeconds(p.Queued / rate.Value) : null;
            foreach (var lead in leadIds)
            {
                var language = await leads.LanguageOfAsync(plan, lead, cancellationToken);
                var card = await store.FindProgressCardAsync(p.WaveId, p.MessageId, lead, cancellationToken);
                if (card is { Final: true } && (p.Queued == 0 || cancelled))
                {
                    continue;
                }
                if (card is null && cancelled)
                {
                    // Cancelled before its first card: there is no progress to report.
                    continue;
                }
                var activity = content.RenderStatus(p, rate, eta, now, language, state) ?? LeadMessenger.StatusCard(p, rate, eta, final, language, state);
                if (card is null)
                {
                    if (await leads.SendAsync(lead, activity, cancellationToken) is { } sent)
                    {
                        await store.SaveProgressCardAsync(new ProgressCard(p.WaveId, p.MessageId, lead, sent.Conversation.ConversationId,
                            sent.Conversation.ServiceUrl, sent.ActivityId, final), cancellationToken);
                    }
                }
                else if (await leads.UpdateAsync(card, activity, cancellationToken))
                {
                    if (final)
                    {
                        await store.SaveProgressCardAsync(card with { Final = true }, cancellationToken);
                        if (!cancelled)
                        {
                            await leads.SendAsync(lead, Protocol.Activity.CreateMessage(LeadMessenger.SummaryText(p, language)), cancellationToken);
                        }
                    }
                    else if (card.Final)
                    {
                        await store.SaveProgressCardAsync(card with { Final = false }, cancellationToken);
                    }
                }
            }
        }
    }

    private double? Rate(WaveProgress p, DateTimeOffset now)
    {
        var key = (p.WaveId, p.MessageId);
        double? rate = null;
        if (_last.TryGetValue(key, out var last) && now > last.At)
        {
            var measured = (p.Finished - last.Finished) / (now - last.At).TotalSeconds;
            rate = last.Rate is { } previous ? (previous + measured) / 2 : measured;
        }
        _last[key] = (p.Finished, now, rate);
        return rate;
    }

    [LoggerMessage(EventId = 6500, Level = LogLevel.Error, Message = "Updating the leads' status cards failed; retrying at the next interval.")]
    private static partial void LogProgressFailed(ILogger logger, Exception ex);
}

using System.Globalization;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Cancels what a plan edit removed: on every valid reload of the plan file and at the start of every scheduler pass,
/// each planned send that may still send (pending, or with queued jobs) whose wave, message or department is no longer
/// in the plan (<see cref="DeliveryContent.IsRemoved"/>; a renamed id counts as removed) becomes Cancelled and its
/// queued jobs end Skipped with the reason "removed from the plan". The leads get one message per change with the
/// counts (<see cref="LeadMessenger.ReportRemovedAsync"/>) and the audit log one entry; a send already cancelled is not
/// reported again. Only the leader does this (the scheduler runs there too).
/// </summary>
public sealed partial class RemovedSendCanceller(
    PlanProvider plans,
    DeliveryPlanSource source,
    DeliveryContent content,
    IDeliveryStore store,
    LeadMessenger leads,
    IAuditLog audit,
    ILeadership leadership,
    IWaveLocks waveLocks,
    ILogger<RemovedSendCanceller> logger) : PlanReloadListener(plans), IDisposable
{
    /// <summary>The command name of its audit entries.</summary>
    public const string AuditCommand = "plan edit: cancel removed sends";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    protected override void OnReloaded(object? sender, PlanReloadedEventArgs e)
    {
        if (e.Succeeded && leadership.IsLeader)
        {
            _ = RunAfterReloadAsync();
        }
    }

    private async Task RunAfterReloadAsync()
    {
        try
        {
            await CancelRemovedAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next scheduler pass tries again; the sender never sends a removed send meanwhile.
            LogFailed(logger, ex);
        }
    }

    /// <summary>Cancels the open sends the current plan file no longer has and tells the leads; returns the sends cancelled now.</summary>
    public async Task<IReadOnlyList<(PlannedSend Send, int Jobs)>> CancelRemovedAsync(CancellationToken cancellationToken)
    {
        if (!content.FromPlanFile)
        {
            return [];
        }
        // One run at a time (a reload and a scheduler pass may overlap): each send is cancelled, and reported, once.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cancelled = new List<(PlannedSend Send, int Jobs)>();
            foreach (var (record, _) in await store.GetOpenSendsAsync(cancellationToken))
            {
                if (!content.IsRemoved(record.Send.Key))
                {
                    continue;
                }
                // Under the wave's lock, so an expansion of this send in progress finishes before it is cancelled.
                await using var waveLock = await waveLocks.AcquireAsync(record.Send.WaveId, cancellationToken);
                if (content.IsRemoved(record.Send.Key)
                    && await store.CancelSendAsync(record.Send.Key, DeliveryContent.RemovedFromPlan, cancellationToken) is { } jobs)
                {
                    LogCancelled(logger, record.Send.Key, jobs);
                    cancelled.Add((record.Send, jobs));
                }
            }
            if (cancelled.Count > 0)
            {
                await ReportAsync(cancelled, cancellationToken);
            }
            return cancelled;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReportAsync(List<(PlannedSend Send, int Jobs)> cancelled, CancellationToken cancellationToken)
    {
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{cancelled.Count} send(s), {cancelled.Sum(c => c.Jobs)} queued job(s) skipped: {string.Join(", ", cancelled.Select(c => c.Send.Key))}");
        await audit.WriteAsync(null, null, null, AuditCommand, AuditResults.Done, detail, cancellationToken);
        if (await source.CurrentAsync(cancellationToken) is { } plan && !await leads.ReportRemovedAsync(plan, cancelled, cancellationToken))
        {
            LogLeadsNotTold(logger, cancelled.Count);
        }
    }

    [LoggerMessage(EventId = 6650, Level = LogLevel.Information, Message = "Send {Send} was removed from the plan: cancelled, {Jobs} queued jobs skipped.")]
    private static partial void LogCancelled(ILogger logger, string send, int jobs);

    [LoggerMessage(EventId = 6651, Level = LogLevel.Warning, Message = "{Count} sends removed from the plan were cancelled, but no lead could be told.")]
    private static partial void LogLeadsNotTold(ILogger logger, int count);

    [LoggerMessage(EventId = 6652, Level = LogLevel.Error, Message = "Cancelling the sends removed from the plan after a reload failed; the next scheduler pass tries again.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

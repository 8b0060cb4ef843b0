using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using TeamsRolloutBot.Delivery;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// The outbox queue: the Jobs table stays the source of truth (keys, states, leases, the delivery log) and a message
/// per job (its row key) is the signal that work is due, hidden until the job is due. A dispatcher receives messages
/// hidden for the lease duration, claims each job in the table with If-Match (a finished job's message is deleted, a
/// job not due yet has its message hidden until it is), and deletes the message when the job is finished or moves it
/// when the job is retried later. A killed instance's messages show up again when their visibility runs out, so another
/// instance takes its jobs. <see cref="SweepAsync"/> gives a message to due jobs that lost theirs.
/// </summary>
public sealed partial class AzureTableDeliveryStore
{
    private static readonly TimeSpan MinReceiveHide = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan NeverExpire = TimeSpan.FromSeconds(-1);
    private readonly ConcurrentDictionary<string, (string MessageId, string PopReceipt)> _receipts = new(StringComparer.Ordinal);

    /// <summary>True when the dispatchers find work through the outbox queue.</summary>
    public bool UsesQueue => _queue is not null;

    private async Task<IReadOnlyList<LeasedJob>> LeaseFromQueueAsync(string owner, int max, DateTimeOffset nowUtc, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        var held = await HeldAsync(cancellationToken);
        // Read only when a held wave's message shows up (a paused wave's once a recheck, a cancelled wave's once).
        var cancelled = new Lazy<Task<IReadOnlySet<string>>>(() => _cancelledWaves is null
            ? Task.FromResult<IReadOnlySet<string>>(new HashSet<string>()) : _cancelledWaves(cancellationToken));
        var hide = Hide(leaseFor);
        var until = nowUtc + leaseFor;
        var leased = new ConcurrentBag<LeasedJob>();
        for (var round = 0; round < max / 32 + 2 && leased.Count < max; round++)
        {
            var messages = (await _queue!.ReceiveMessagesAsync(Math.Clamp(max - leased.Count, 1, 32),
                hide < MinReceiveHide ? MinReceiveHide : hide, cancellationToken)).Value;
            if (messages.Length == 0)
            {
                break;
            }
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (message, ct) =>
            {
                if (await ClaimAsync(message, owner, nowUtc, until, hide, held, cancelled, ct) is { } job)
                {
                    leased.Add(job);
                }
            });
        }
        return [.. leased.OrderBy(j => j.Job.DueUtc).ThenBy(j => j.Job.Key, StringComparer.Ordinal)];
    }

    private async Task<LeasedJob?> ClaimAsync(QueueMessage message, string owner, DateTimeOffset nowUtc, DateTimeOffset until, TimeSpan hide,
        IReadOnlySet<string> held, Lazy<Task<IReadOnlySet<string>>> cancelled, CancellationToken cancellationToken)
    {
        var entity = await GetAsync(_jobs, Jobs, message.Body.ToString(), cancellationToken);
        if (entity is null || entity.GetString("State") != nameof(JobState.Queued))
        {
            // Finished (or never stored): the signal has done its work.
            await DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return null;
        }
        var due = FromMs(entity.GetInt64("DueAt")!.Value);
        if (due > nowUtc)
        {
            // Not due yet (a retry later, or leased by another instance until its lease expires).
            await HideMessageAsync(message.MessageId, message.PopReceipt, Hide(due - nowUtc), cancellationToken);
            return null;
        }
        if (held.Contains(entity.GetString("WaveId")))
        {
            if ((await cancelled.Value).Contains(entity.GetString("WaveId")))
            {
                await DropCancelledSignalAsync(entity, message, cancellationToken);
                return null;
            }
            await HideMessageAsync(message.MessageId, message.PopReceipt, Hide(_queueOptions.HeldRecheck), cancellationToken);
            return null;
        }
        entity["DueAt"] = Ms(until);
        entity["LeaseOwner"] = owner;
        entity["UpdatedAt"] = Ms(nowUtc);
        entity["SignalAt"] = Ms(nowUtc);
        if (!await TryReplaceAsync(_jobs, entity, cancellationToken))
        {
            // Another instance claimed or finished it first; the message stays hidden for a lease and is checked again.
            return null;
        }
        var receipt = message.PopReceipt;
        if (hide < MinReceiveHide)
        {
            // A receive hides for at least a second; honour a shorter lease.
            receipt = (await _queue!.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: hide, cancellationToken: cancellationToken)).Value.PopReceipt;
        }
        var job = ReadJob(entity);
        _receipts[job.Key] = (message.MessageId, receipt);
        return new LeasedJob(job, (int)entity.GetInt32("Attempts")!, entity.GetBoolean("InstallRequested") == true, until);
    }

    /// <summary>
    /// A cancelled wave's job keeps its place in the table (Queued, so the wave's status still counts it) but loses its
    /// message, so it costs no more queue operations: re-hiding it every <see cref="OutboxQueueOptions.HeldRecheck"/>
    /// would go on for as long as the wave stays cancelled. The job is marked as having no message first (no
    /// <c>SignalAt</c>), so that the sweep sends a new one without waiting the grace if a lead starts the wave again.
    /// </summary>
    private async Task DropCancelledSignalAsync(TableEntity entity, QueueMessage message, CancellationToken cancellationToken)
    {
        entity["SignalAt"] = null;
        if (!await TryReplaceAsync(_jobs, entity, cancellationToken))
        {
            // Changed meanwhile (finished, leased, or started again): the message stays hidden for a lease and is checked again.
            return;
        }
        await DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    /// <summary>After an outcome is stored: a finished job's message is deleted, a retried job's message moves to its new due time.</summary>
    private Task AfterRecordAsync(JobUpdate update, CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return Task.CompletedTask;
        }
        if (update.RetryAt is { } due)
        {
            return MoveSignalAsync(update.Key, due, cancellationToken);
        }
        // Without a receipt (another instance leased it, or this one restarted) the message is dropped when it next shows up.
        return _receipts.TryRemove(update.Key, out var receipt)
            ? DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Makes the job's message show up at <paramref name="dueUtc"/>: the held message when this instance has it, else a new one.</summary>
    private async Task MoveSignalAsync(string jobKey, DateTimeOffset dueUtc, CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return;
        }
        if (_receipts.TryRemove(jobKey, out var receipt)
            && await HideMessageAsync(receipt.MessageId, receipt.PopReceipt, Hide(dueUtc - _time.GetUtcNow()), cancellationToken))
        {
            return;
        }
        await SignalAsync(Encode(jobKey), dueUtc, cancellationToken);
    }

    /// <summary>Sends a job's message, hidden until it is due (at most <see cref="OutboxQueueOptions.MaxHide"/>), never expiring.</summary>
    private async Task SignalAsync(string rowKey, DateTimeOffset dueUtc, CancellationToken cancellationToken)
    {
        if (_queue is not null)
        {
            await _queue.SendMessageAsync(rowKey, Hide(dueUtc - _time.GetUtcNow()), NeverExpire, cancellationToken);
        }
    }

    /// <summary>
    /// Gives due queued jobs that have no message (a crash between the table insert and the queue send, jobs copied from
    /// SQLite or stored before the queue existed) a new one. Run by the leader only, every few minutes. Skipped while
    /// messages are visible: the dispatchers are behind, and the jobs may still have theirs. Returns how many it re-signalled.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (_queue is null || (await _queue.PeekMessagesAsync(1, cancellationToken)).Value.Length > 0)
        {
            return 0;
        }
        var now = _time.GetUtcNow();
        var cutoff = Ms(now - _queueOptions.SweepGrace);
        var held = await HeldAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and State eq {nameof(JobState.Queued)} and DueAt le {Ms(now)}");
        var lost = (await QueryAsync(_jobs, filter, cancellationToken))
            .Where(e => !held.Contains(e.GetString("WaveId")))
            .Where(e => e.GetInt64("SignalAt") is not { } signalled || (signalled <= cutoff && e.GetInt64("DueAt") <= cutoff))
            .ToList();
        var count = 0;
        foreach (var entity in lost)
        {
            entity["SignalAt"] = Ms(now);
            if (!await TryReplaceAsync(_jobs, entity, cancellationToken))
            {
                continue;
            }
            await SignalAsync(entity.RowKey, now, cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>Sends a message, hidden until due, for every queued job: after a SQLite outbox was copied in (its jobs have none).</summary>
    public async Task<int> SignalQueuedAsync(CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return 0;
        }
        var queued = await QueryAsync(_jobs, TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and State eq {nameof(JobState.Queued)}"), cancellationToken);
        var now = Now();
        var count = 0;
        await Parallel.ForEachAsync(queued, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (entity, ct) =>
        {
            entity["SignalAt"] = now;
            if (!await TryReplaceAsync(_jobs, entity, ct))
            {
                return;
            }
            await SignalAsync(entity.RowKey, FromMs(entity.GetInt64("DueAt")!.Value), ct);
            Interlocked.Increment(ref count);
        });
        return count;
    }

    private async Task<bool> HideMessageAsync(string messageId, string popReceipt, TimeSpan hide, CancellationToken cancellationToken)
    {
        try
        {
            await _queue!.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: hide, cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // The message was received again (its visibility ran out) or deleted: the receipt is stale.
            return false;
        }
    }

    private async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await _queue!.DeleteMessageAsync(messageId, popReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // Received by another dispatcher meanwhile: it drops the message itself when it sees the finished job.
        }
    }

    private TimeSpan Hide(TimeSpan wanted) =>
        wanted <= TimeSpan.Zero ? TimeSpan.Zero : wanted > _queueOptions.MaxHide ? _queueOptions.MaxHide : TimeSpan.FromSeconds(Math.Ceiling(wanted.TotalSeconds));
}

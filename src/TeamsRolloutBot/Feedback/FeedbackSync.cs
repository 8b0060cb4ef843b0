using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Copies stored survey answers and thread replies to the SharePoint list. The durable queues are <c>feedback_sync</c>
/// (one row per answer) and <c>thread_reply_sync</c> (one row per reply): the correlation id, the list item id once
/// known, what is in the list, failed attempts and the next attempt time. A new answer or reply is POSTed once; its item
/// id is stored and every edit (or a reply's deletion) PATCHes that item. The correlation id is written into the item and
/// recorded as "POST started" before the POST, so after a crash or a lost response the item is looked up by it instead
/// of being created twice. 429 and 5xx wait (Retry-After when given, else exponential backoff up to
/// <see cref="FeedbackOptions.MaxSyncBackoff"/>); nothing is ever dropped.
/// </summary>
public sealed partial class FeedbackSync(
    IFeedbackStore store, IThreadReplyStore replies, SharePointListClient client, FeedbackListSetup setup, IOptions<FeedbackOptions> options,
    TimeProvider time, ILogger<FeedbackSync> logger)
    : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _columnsChecked;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// One pass over the due answers, then the due thread replies (at most <paramref name="limit"/> of each); the number
    /// copied. Passes never overlap.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken, int limit = 100)
    {
        if (!options.Value.SharePointEnabled)
        {
            return 0;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() < _pausedUntil)
            {
                return 0;
            }
            if (!_columnsChecked && options.Value.EnsureListColumns)
            {
                var report = await setup.EnsureColumnsAsync(cancellationToken);
                _columnsChecked = report.Error is null;
                var text = report.ToString();
                Log.ListChecked(logger, text);
            }
            var answers = (await store.DueSyncAsync(limit, cancellationToken)).Select(ForAnswer);
            var threadReplies = (await replies.DueSyncAsync(limit, cancellationToken)).Select(ForReply);
            var copied = 0;
            foreach (var entry in answers.Concat(threadReplies))
            {
                var failure = await SyncOneAsync(entry, cancellationToken);
                FeedbackTelemetry.Copy(failure?.Outcome.ToString() ?? "Success");
                if (failure is null)
                {
                    copied++;
                    continue;
                }
                var backoff = TimeSpan.FromTicks(Math.Min(options.Value.MaxSyncBackoff.Ticks, FirstBackoff.Ticks * (1L << Math.Min(entry.Attempts, 20))));
                var wait = failure.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                var next = time.GetUtcNow() + wait;
                await entry.MarkFailed(failure.Error ?? failure.Outcome.ToString(), next, cancellationToken);
                Log.SyncFailed(logger, entry.What, failure.Outcome, failure.Status ?? 0, failure.Error ?? "", entry.Attempts + 1, next);
                if (failure.Outcome is GraphOutcome.Throttled or GraphOutcome.Transient)
                {
                    // Graph is throttling or unreachable: the rest would fail the same way, and its Retry-After is service-wide.
                    _pausedUntil = next;
                    break;
                }
            }
            if (copied > 0)
            {
                Log.Synced(logger, copied);
            }
            return copied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One queued answer or reply as the copy sees it: its fields, where it stands, and how to record progress in its
    /// own queue table. <see cref="CreateWhenMissing"/> is false for a deleted reply: when the list has no item for it,
    /// there is nothing to create or mark.
    /// </summary>
    private sealed record Entry(
        string What,
        string CorrelationId,
        string? ItemId,
        bool PostStarted,
        int Attempts,
        JsonObject Fields,
        bool CreateWhenMissing,
        Func<CancellationToken, Task> MarkPostStarted,
        Func<string?, CancellationToken, Task> SetItemId,
        Func<string?, CancellationToken, Task> MarkSynced,
        Func<string, DateTimeOffset, CancellationToken, Task> MarkFailed);

    private Entry ForAnswer(SyncWork work)
    {
        var stored = work.Stored;
        var (survey, user) = (stored.Placement.SurveyId, stored.Respondent.AadObjectId);
        return new Entry("survey answer", work.CorrelationId, stored.ListItemId, work.PostStarted, stored.SyncAttempts,
            FeedbackListSchema.Fields(stored, work.CorrelationId), CreateWhenMissing: true,
            ct => store.MarkPostStartedAsync(survey, user, ct),
            (item, ct) => store.SetItemIdAsync(survey, user, item, ct),
            (item, ct) => store.MarkSyncedAsync(survey, user, item!, stored.Version, ct),
            (error, next, ct) => store.MarkSyncFailedAsync(survey, user, error, next, ct));
    }

    private Entry ForReply(ReplySyncWork work)
    {
        var id = work.Reply.ReplyId;
        return new Entry("thread reply", work.CorrelationId, work.ItemId, work.PostStarted, work.Attempts,
            FeedbackListSchema.ReplyFields(work.Reply, work.CorrelationId), CreateWhenMissing: work.Reply.DeletedAt is null,
            ct => replies.MarkSyncPostStartedAsync(id, ct),
            (item, ct) => replies.SetSyncItemIdAsync(id, item, ct),
            (item, ct) => replies.MarkSyncedAsync(id, item, work.Generation, ct),
            (error, next, ct) => replies.MarkSyncFailedAsync(id, error, next, ct));
    }

    /// <summary>Null when the entry's current state is now in the list; else the failed call.</summary>
    private async Task<GraphResult<bool>?> SyncOneAsync(Entry entry, CancellationToken cancellationToken)
    {
        var itemId = entry.ItemId;
        if (itemId is null && entry.PostStarted)
        {
            // An earlier POST may have created the item without us learning its id.
            var found = await client.FindItemAsync(entry.CorrelationId, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.As<bool>();
            }
            if (found.Value is { } existing)
            {
                itemId = existing;
                await entry.SetItemId(itemId, cancellationToken);
                Log.ItemRecovered(logger, itemId);
            }
        }
        if (itemId is null && !entry.CreateWhenMissing)
        {
            // A reply deleted before it reached the list: nothing there to create or mark.
            await entry.MarkSynced(null, cancellationToken);
            return null;
        }
        if (itemId is null)
        {
            await entry.MarkPostStarted(cancellationToken);
            var created = await client.CreateItemAsync(entry.Fields, cancellationToken);
            if (!created.IsSuccess)
            {
                return created.As<bool>();
            }
            await entry.MarkSynced(created.Value!, cancellationToken);
            return null;
        }
        var updated = await client.UpdateItemAsync(itemId, entry.Fields, cancellationToken);
        if (updated.Outcome == GraphOutcome.NotFound)
        {
            // Someone deleted the item in SharePoint: forget it; the next attempt looks up the correlation id, then creates it again.
            await entry.SetItemId(null, cancellationToken);
            await entry.MarkPostStarted(cancellationToken);
            return updated with { Error = $"list item {itemId} no longer exists; it will be created again" };
        }
        if (!updated.IsSuccess)
        {
            return updated;
        }
        await entry.MarkSynced(itemId, cancellationToken);
        return null;
    }

    public void Dispose() => _gate.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1810, Level = LogLevel.Information, Message = "{Report}")]
        public static partial void ListChecked(ILogger logger, string report);

        [LoggerMessage(EventId = 1811, Level = LogLevel.Information, Message = "{Count} survey answer(s) and thread reply(ies) copied to the SharePoint list")]
        public static partial void Synced(ILogger logger, int count);

        [LoggerMessage(EventId = 1812, Level = LogLevel.Warning, Message = "SharePoint copy of a {What} failed: {Outcome} {Status} {Error}; attempt {Attempts}, next at {Next:O}. It stays queued.")]
        public static partial void SyncFailed(ILogger logger, string what, GraphOutcome outcome, int status, string error, int attempts, DateTimeOffset next);

        [LoggerMessage(EventId = 1813, Level = LogLevel.Information, Message = "Found list item {ItemId} created by an earlier attempt; no new item is created")]
        public static partial void ItemRecovered(ILogger logger, string itemId);
    }
}

using TeamsRolloutBot.Graph;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// The Graph catch-up: on start-up and every <c>Feedback:ThreadReplies:CatchUpInterval</c>, each tracked root whose
/// feedback window (<c>WindowDays</c> after the post) is open and whose turn has come is read through Graph, all pages,
/// and every reply is stored like a live one (one record per reply id). A throttled (429, Retry-After honoured) or
/// failed root keeps its place and is tried again later with backoff; replies already stored stay stored.
/// </summary>
public sealed class ThreadReplyCatchUp(
    IThreadReplyStore store,
    ChannelRepliesClient graph,
    FeedbackWorkSignal signal,
    IOptions<ThreadRepliesOptions> options,
    TimeProvider time,
    ILogger<ThreadReplyCatchUp> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// One pass over the due roots. <paramref name="startUp"/>: the first pass after the bot started, which also reads the
    /// roots whose interval has not come yet, so replies sent while the bot was down are collected at once.
    /// </summary>
    public async Task<CatchUpResult> RunOnceAsync(CancellationToken cancellationToken, bool startUp = false)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var window = TimeSpan.FromDays(options.Value.WindowDays);
            int roots = 0, added = 0, edited = 0, deleted = 0, failed = 0;
            foreach (var (root, attempts) in await store.DueForPollAsync(now, cancellationToken, startUp))
            {
                if (root.PostedAt + window < now)
                {
                    continue;
                }
                if (root.TeamAadGroupId is null)
                {
                    Log.NoGroupId(logger, root.RootMessageId);
                    await store.DeferPollAsync(root.RootMessageId, now + options.Value.CatchUpInterval, "the team's Entra group id is not known yet", cancellationToken);
                    continue;
                }
                roots++;
                var (a, e, d, error) = await CatchUpRootAsync(root, attempts, cancellationToken);
                added += a;
                edited += e;
                deleted += d;
                if (error)
                {
                    failed++;
                }
            }
            if (added + edited + deleted > 0)
            {
                // New or changed replies go to the SharePoint list on the feedback worker's next pass: wake it now.
                signal.Notify();
            }
            return new CatchUpResult(roots, added, edited, deleted, failed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(int Added, int Edited, int Deleted, bool Failed)> CatchUpRootAsync(ThreadRoot root, int attempts, CancellationToken cancellationToken)
    {
        int added = 0, edited = 0, deleted = 0;
        string? next = null;
        do
        {
            var result = await graph.GetRepliesAsync(root.TeamAadGroupId!, root.ChannelId, root.RootMessageId, next, cancellationToken);
            if (!result.IsSuccess || result.Value is null)
            {
                var wait = result.Outcome == GraphOutcome.Throttled
                    ? result.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(30)
                    : Backoff(attempts);
                var retryAt = time.GetUtcNow() + wait;
                ThreadReplyTelemetry.CatchUp(result.Outcome.ToString().ToLowerInvariant());
                Log.CatchUpFailed(logger, root.RootMessageId, result.Outcome.ToString(), result.Error ?? "", retryAt);
                await store.RecordPollAsync(root.RootMessageId, retryAt, result.Error ?? result.Outcome.ToString(), cancellationToken);
                return (added, edited, deleted, true);
            }
            foreach (var reply in result.Value.Messages.Select(m => GraphReplyReader.Parse(root, m)).OfType<IncomingReply>())
            {
                var change = await store.SaveAsync(reply, cancellationToken);
                ThreadReplyTelemetry.Reply(change, "graph");
                switch (change)
                {
                    case ReplyChange.Added:
                        added++;
                        break;
                    case ReplyChange.Edited:
                        edited++;
                        break;
                    case ReplyChange.Deleted:
                        deleted++;
                        break;
                }
            }
            next = result.Value.NextLink is { Length: > 0 } link ? link : null;
        }
        while (next is not null);
        ThreadReplyTelemetry.CatchUp("success");
        Log.CaughtUp(logger, root.RootMessageId, added, edited, deleted);
        await store.RecordPollAsync(root.RootMessageId, time.GetUtcNow() + options.Value.CatchUpInterval, null, cancellationToken);
        return (added, edited, deleted, false);
    }

    private TimeSpan Backoff(int attempts)
    {
        var wait = TimeSpan.FromSeconds(30) * Math.Pow(2, Math.Min(attempts, 10));
        return wait > options.Value.MaxBackoff ? options.Value.MaxBackoff : wait;
    }
}

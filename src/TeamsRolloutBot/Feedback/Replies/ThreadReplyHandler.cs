using Microsoft.Extensions.Options;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Live thread replies. With the resource-specific permission <c>ChannelMessage.Read.Group</c> Teams sends the bot every
/// channel message; a reply in a tracked thread (conversation id <c>...;messageid=&lt;root&gt;</c>) is stored as feedback
/// at once and answered with nothing. Everything else is only counted (metric <c>feedback.thread_replies</c>), never
/// stored or logged. Edits (<c>messageUpdate</c>) and deletions (<c>messageDelete</c>) of tracked replies update the record.
/// </summary>
public sealed class ThreadReplyHandler(ThreadReplyStore store, FeedbackWorkSignal signal, IOptions<ThreadRepliesOptions> options, TimeProvider time)
{
    /// <summary>The activity type of an edited or undeleted message.</summary>
    public const string MessageUpdate = "messageUpdate";

    /// <summary>The activity type of a deleted message.</summary>
    public const string MessageDelete = "messageDelete";

    private const string ThreadMarker = ";messageid=";

    /// <summary>The root message id of a channel thread conversation id, or null for other conversations.</summary>
    public static string? RootOf(string? conversationId)
    {
        if (conversationId is null)
        {
            return null;
        }
        var at = conversationId.IndexOf(ThreadMarker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }
        var root = conversationId[(at + ThreadMarker.Length)..];
        return root.Length == 0 ? null : root;
    }

    /// <summary>
    /// True when the activity is a user's message in a reply thread of a channel that is not addressed to the bot
    /// (no @mention, no card submit): the only messages this handler looks at.
    /// </summary>
    public static bool IsCandidate(Activity activity) =>
        string.Equals(activity.Conversation?.ConversationType, "channel", StringComparison.OrdinalIgnoreCase)
        && RootOf(activity.Conversation?.Id) is { } root
        && activity.Id is { Length: > 0 } id && id != root
        && activity.Value is null
        && !activity.MentionsBot()
        && !string.Equals(activity.From?.Role, "bot", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Stores a candidate message when its thread is tracked. Returns true when it was a tracked thread (the caller
    /// answers nothing), false when the thread is not tracked (the caller treats it as ordinary channel chatter).
    /// </summary>
    public async Task<bool> TryHandleMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !IsCandidate(activity))
        {
            return false;
        }
        var change = await store.SaveAsync(ToReply(activity, deleted: false), cancellationToken);
        ThreadReplyTelemetry.Reply(change);
        if (change == ReplyChange.NotTracked)
        {
            return false;
        }
        NotifyCopy(change);
        await LearnGroupAsync(activity, cancellationToken);
        return true;
    }

    /// <summary>A live edit or deletion of a channel message; only replies of tracked threads change anything.</summary>
    public async Task OnMessageChangeAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled
            || !string.Equals(activity.Conversation?.ConversationType, "channel", StringComparison.OrdinalIgnoreCase)
            || RootOf(activity.Conversation?.Id) is not { } root || activity.Id is not { Length: > 0 } id || id == root)
        {
            ThreadReplyTelemetry.Reply(ReplyChange.NotTracked);
            return;
        }
        var eventType = activity.ChannelData?.EventType;
        if (activity.Type == MessageDelete || string.Equals(eventType, "softDeleteMessage", StringComparison.OrdinalIgnoreCase))
        {
            var deleted = await store.MarkDeletedAsync(id, activity.Timestamp ?? time.GetUtcNow(), cancellationToken);
            ThreadReplyTelemetry.Reply(deleted ? ReplyChange.Deleted : ReplyChange.NotTracked);
            NotifyCopy(deleted ? ReplyChange.Deleted : ReplyChange.NotTracked);
            return;
        }
        if (string.Equals(eventType, "editMessage", StringComparison.OrdinalIgnoreCase) || activity.Type == MessageUpdate)
        {
            if (activity.MentionsBot() || string.Equals(activity.From?.Role, "bot", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            var change = await store.SaveAsync(ToReply(activity, deleted: false), cancellationToken);
            ThreadReplyTelemetry.Reply(change);
            NotifyCopy(change);
        }
    }

    /// <summary>A stored change wakes the feedback worker, so the SharePoint copy does not wait for its next interval.</summary>
    private void NotifyCopy(ReplyChange change)
    {
        if (change is ReplyChange.Added or ReplyChange.Edited or ReplyChange.Deleted)
        {
            signal.Notify();
        }
    }

    private async Task LearnGroupAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.ChannelData?.Team?.AadGroupId is { Length: > 0 } group && RootOf(activity.Conversation?.Id) is { } root)
        {
            await store.LearnTeamGroupAsync(root, group, cancellationToken);
        }
    }

    private IncomingReply ToReply(Activity activity, bool deleted)
    {
        var at = activity.Timestamp ?? time.GetUtcNow();
        return new IncomingReply(
            activity.Id!,
            RootOf(activity.Conversation!.Id)!,
            activity.From?.AadObjectId,
            activity.From?.Name,
            ReplyText.FromHtml(activity.Text ?? ""),
            at,
            at,
            deleted ? at : null,
            ReplySource.Live);
    }
}

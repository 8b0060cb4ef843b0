using System.Diagnostics.Metrics;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Thread reply metrics on the bot's meter (<c>TeamsRolloutBot</c>).</summary>
internal static class ThreadReplyTelemetry
{
    private static readonly Meter Meter = new(BotTelemetry.Name);

    /// <summary>
    /// <c>feedback.thread_replies</c>: channel messages the reply handler saw, by result (added, edited, deleted,
    /// unchanged, nottracked). Messages outside tracked threads are only counted here, never stored or logged.
    /// </summary>
    public static readonly Counter<long> Replies = Meter.CreateCounter<long>("feedback.thread_replies", description: "Channel thread messages by result");

    /// <summary><c>feedback.thread_catchup</c>: Graph catch-up calls per root, by outcome.</summary>
    public static readonly Counter<long> CatchUps = Meter.CreateCounter<long>("feedback.thread_catchup", description: "Graph reply catch-up calls by outcome");

    public static void Reply(ReplyChange change, string source = "live") =>
        Replies.Add(1, new KeyValuePair<string, object?>("result", change.ToString().ToLowerInvariant()), new KeyValuePair<string, object?>("source", source));

    public static void CatchUp(string outcome) => CatchUps.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

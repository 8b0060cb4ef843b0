using System.Diagnostics.Metrics;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback;

/// <summary>Feedback metrics on the bot's meter (<c>TeamsRolloutBot</c>).</summary>
internal static class FeedbackTelemetry
{
    private static readonly Meter Meter = new(BotTelemetry.Name);

    /// <summary><c>feedback.answers</c>: survey submissions by result (stored, unchanged, refused).</summary>
    public static readonly Counter<long> Answers = Meter.CreateCounter<long>("feedback.answers", description: "Survey submissions by result");

    /// <summary><c>feedback.sharepoint.copies</c>: attempts to copy an answer to the SharePoint list, by outcome.</summary>
    public static readonly Counter<long> SharePointCopies = Meter.CreateCounter<long>("feedback.sharepoint.copies", description: "SharePoint list copies by outcome");

    /// <summary><c>feedback.notices</c>: reminders and lead summaries by kind and state (sent, no-conversation, failed, throttled).</summary>
    public static readonly Counter<long> Notices = Meter.CreateCounter<long>("feedback.notices", description: "Feedback reminders and summaries by kind and state");

    public static void Answer(string result) => Answers.Add(1, new KeyValuePair<string, object?>("result", result));

    public static void Copy(string outcome) => SharePointCopies.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public static void Notice(string kind, string state) =>
        Notices.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("state", state));
}

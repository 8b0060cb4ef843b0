using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>The figures of a feedback summary, computed from the stored current answers.</summary>
public sealed record FeedbackSummary(
    string? WaveId,
    string? DepartmentId,
    IReadOnlyList<DepartmentFigures> Departments,
    int Responses,
    int? Recipients,
    int? NonResponders,
    IReadOnlyList<int> RatingCounts,
    double? AverageRating,
    int SuccessYes,
    int SuccessPartly,
    int SuccessNo,
    IReadOnlyList<(string Problem, int Count)> TopProblems,
    IReadOnlyList<SummaryComment> RecentComments,
    bool SharePointEnabled,
    SyncCounts Sync)
{
    /// <summary>The thread replies in scope (null when thread replies are not collected).</summary>
    public Replies.ReplyFigures? Replies { get; init; }

    /// <summary>Share of responses that said enrollment worked ("yes"); null without responses.</summary>
    public double? SuccessRate => Responses > 0 ? (double)SuccessYes / Responses : null;

    public double? ResponseRate => Recipients is > 0 ? (double)Responses / Recipients.Value : null;
}

using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>The CSV export of the answers and how many data rows it has.</summary>
public sealed record FeedbackExport(byte[] Bytes, int Rows);

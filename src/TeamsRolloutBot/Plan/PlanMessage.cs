using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Plan;

/// <summary>One message of the plan: when (offset + local time), to whom, and with which card.</summary>
public sealed record PlanMessage(
    string Id,
    MessagePhase Phase,
    int OffsetDays,
    string OffsetText,
    TimeOnly Time,
    MessageAudience Audience,
    string Template,
    JsonObject Parameters,
    IReadOnlyDictionary<string, LocalizedText> Texts,
    bool CollectReplies,
    string Fingerprint,
    SourceLocation Location);

namespace TeamsRolloutBot.Plan;

/// <summary>A department of the rollout: how it is reached (channel and/or members), its size and language.</summary>
public sealed record Department(
    string Id,
    LocalizedText Name,
    string? TeamId,
    string? ChannelId,
    MemberSource? Members,
    int? ExpectedSize,
    SourceLocation Location)
{
    /// <summary>The language of the department's channel posts (plan field <c>language</c>); null: the plan's default language.</summary>
    public string? Language { get; init; }
}

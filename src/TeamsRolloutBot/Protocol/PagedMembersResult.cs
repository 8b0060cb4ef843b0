namespace TeamsRolloutBot.Protocol;

/// <summary>One page of conversation members.</summary>
public sealed class PagedMembersResult
{
    public List<TeamsChannelAccount>? Members { get; set; }
    public string? ContinuationToken { get; set; }
}

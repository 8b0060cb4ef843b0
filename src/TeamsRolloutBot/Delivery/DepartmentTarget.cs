namespace TeamsRolloutBot.Delivery;

/// <summary>Where a department's messages go: its team channel and the people in it; <see cref="Language"/> is its channel language (null: the plan default).</summary>
public sealed record DepartmentTarget(
    string Id,
    string Name,
    string? TeamId,
    string? ChannelId,
    string? MemberGroupId,
    IReadOnlyList<string> MemberUsers,
    string? Language = null);

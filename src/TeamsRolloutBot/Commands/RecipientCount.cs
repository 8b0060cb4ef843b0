namespace TeamsRolloutBot.Commands;

/// <summary>How many people (1:1 or e-mail) and channel posts a send reaches. Not exact when a group could not be counted.</summary>
public sealed record RecipientCount(int People, int ChannelPosts, bool Exact, IReadOnlyList<string> UncountedDepartments);

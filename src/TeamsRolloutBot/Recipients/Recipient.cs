namespace TeamsRolloutBot.Recipients;

/// <summary>One person a member or e-mail send goes to.</summary>
public sealed record Recipient(string Id, string? Mail, string? Language, string? Name, string? Problem = null);

namespace TeamsRolloutBot.Graph;

/// <summary>A directory user as delivery needs it.</summary>
public sealed record DirectoryUser(string Id, string? DisplayName, string? Mail, string? UserPrincipalName, string? PreferredLanguage);

using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>A Teams member as returned by the paged members call.</summary>
public sealed class TeamsChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Email { get; set; }
    public string? UserPrincipalName { get; set; }
    public string? TenantId { get; set; }
    public string? UserRole { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>A team: <c>id</c> is the General channel's thread id, <c>aadGroupId</c> the Microsoft 365 group id.</summary>
public sealed class TeamInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadGroupId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>A user or bot in a conversation (<c>29:</c> user ids, <c>28:</c> bot ids).</summary>
public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

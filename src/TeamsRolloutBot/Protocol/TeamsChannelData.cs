using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>Teams' extras on an activity: tenant, team, channel and the conversationUpdate event type.</summary>
public sealed class TeamsChannelData
{
    public TenantInfo? Tenant { get; set; }
    public TeamInfo? Team { get; set; }
    public ChannelInfo? Channel { get; set; }
    public string? EventType { get; set; }
    public NotificationInfo? Notification { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>An entity attached to an activity; the bot reads mentions and the client's locale.</summary>
public sealed class Entity
{
    public string? Type { get; set; }
    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }
    public string? Locale { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

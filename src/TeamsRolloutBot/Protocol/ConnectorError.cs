using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>The connector's error body (Swagger shape); Teams does not always use it.</summary>
public sealed class ConnectorError
{
    public ConnectorErrorDetail? Error { get; set; }

    [JsonPropertyName("errorCode")]
    public int? ErrorCodeNumber { get; set; }

    public string? Message { get; set; }
}

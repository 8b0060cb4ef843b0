namespace TeamsRolloutBot.Protocol;

/// <summary>The code and message of a connector error.</summary>
public sealed class ConnectorErrorDetail
{
    public string? Code { get; set; }
    public string? Message { get; set; }
}

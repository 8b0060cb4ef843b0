namespace TeamsRolloutBot.Protocol;

/// <summary>Outbound notification settings (alert in the activity feed).</summary>
public sealed class NotificationInfo
{
    public bool? Alert { get; set; }
}

namespace TeamsRolloutBot.Commands;

/// <summary>Settings of the lead commands, bound from the <c>Commands</c> configuration section.</summary>
public sealed class CommandsOptions
{
    public const string Section = "Commands";

    /// <summary><c>Commands:ConfirmAbove</c>: a send to more people than this first shows a confirmation card.</summary>
    public int ConfirmAbove { get; set; } = 50;

    /// <summary><c>Commands:ConfirmationLifetime</c>: how long a confirmation card can be confirmed.</summary>
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>Commands:LeadCacheDuration</c>: how long a Graph answer about a user's lead status is reused.</summary>
    public TimeSpan LeadCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Commands:AuditEntriesShown</c>: how many audit entries <c>status</c> shows.</summary>
    public int AuditEntriesShown { get; set; } = 10;

    /// <summary><c>Commands:ApprovalReminderInterval</c>: how often leads are reminded of a wave that waits for approval after its due time.</summary>
    public TimeSpan ApprovalReminderInterval { get; set; } = TimeSpan.FromDays(1);
}

using Microsoft.Extensions.Options;

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
}

/// <summary>Refuses to start with a message naming the key when a <c>Commands:</c> setting is out of range.</summary>
public sealed class CommandsOptionsValidator : IValidateOptions<CommandsOptions>
{
    public ValidateOptionsResult Validate(string? name, CommandsOptions options)
    {
        var errors = new List<string>();
        if (options.ConfirmAbove < 0)
        {
            errors.Add($"Commands:ConfirmAbove must be 0 or more (0: every send is confirmed); got {options.ConfirmAbove}.");
        }
        if (options.ConfirmationLifetime < TimeSpan.FromMinutes(1) || options.ConfirmationLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"Commands:ConfirmationLifetime must be between 00:01:00 and 1.00:00:00; got {options.ConfirmationLifetime}.");
        }
        if (options.LeadCacheDuration < TimeSpan.Zero || options.LeadCacheDuration > TimeSpan.FromDays(1))
        {
            errors.Add($"Commands:LeadCacheDuration must be between 00:00:00 and 1.00:00:00; got {options.LeadCacheDuration}.");
        }
        if (options.AuditEntriesShown is < 1 or > 50)
        {
            errors.Add($"Commands:AuditEntriesShown must be between 1 and 50; got {options.AuditEntriesShown}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The key of the <see cref="TimeProvider"/> the commands use (tests replace it with a fake clock).</summary>
public static class CommandsClock
{
    public const string Key = "commands";
}

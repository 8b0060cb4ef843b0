using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Commands;

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
        if (options.ApprovalReminderInterval < TimeSpan.FromMinutes(5) || options.ApprovalReminderInterval > TimeSpan.FromDays(14))
        {
            errors.Add($"Commands:ApprovalReminderInterval must be between 00:05:00 and 14.00:00:00; got {options.ApprovalReminderInterval}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

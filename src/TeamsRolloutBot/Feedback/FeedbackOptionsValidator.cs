using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback;

/// <summary>Checks <see cref="FeedbackOptions"/> at start-up; every message names its key.</summary>
public sealed class FeedbackOptionsValidator : IValidateOptions<FeedbackOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedbackOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SharePointSiteId) != string.IsNullOrWhiteSpace(options.SharePointListId))
        {
            errors.Add("Feedback:SharePointSiteId and Feedback:SharePointListId must be set together (or both left empty to keep answers local).");
        }
        if (options.CommentMaxLength is < 1 or > 1000)
        {
            errors.Add($"Feedback:CommentMaxLength must be between 1 and 1000 (the survey card allows 1000); it is {options.CommentMaxLength}.");
        }
        if (options.SummaryAfterDays < 0 || options.SummaryAfterDays > 365)
        {
            errors.Add($"Feedback:SummaryAfterDays must be between 0 (off) and 365; it is {options.SummaryAfterDays}.");
        }
        if (options.ReminderAfterDays < 0 || options.ReminderAfterDays > 365)
        {
            errors.Add($"Feedback:ReminderAfterDays must be between 0 (off) and 365; it is {options.ReminderAfterDays}.");
        }
        if (options.SyncInterval < TimeSpan.FromSeconds(1) || options.SyncInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Feedback:SyncInterval must be between 00:00:01 and 01:00:00; it is {options.SyncInterval}.");
        }
        if (options.MaxSyncBackoff < TimeSpan.FromSeconds(1))
        {
            errors.Add("Feedback:MaxSyncBackoff must be at least one second.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

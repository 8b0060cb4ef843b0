using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback;

/// <summary><c>Feedback:</c> settings: the SharePoint list answers are copied to, the comment limit and the summary and reminder timing.</summary>
public sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary><c>Feedback:SharePointSiteId</c>: the Graph site id (<c>contoso.sharepoint.com,{guid},{guid}</c>). Empty: answers stay local only.</summary>
    public string? SharePointSiteId { get; set; }

    /// <summary><c>Feedback:SharePointListId</c>: the list's id (GUID) or display name on that site.</summary>
    public string? SharePointListId { get; set; }

    /// <summary><c>Feedback:EnsureListColumns</c>: create missing list columns when the sync starts (else only <c>feedback setup-list</c> does).</summary>
    public bool EnsureListColumns { get; set; } = true;

    /// <summary><c>Feedback:CommentMaxLength</c>: the longest free comment accepted (1..1000; the card's input allows 1000).</summary>
    public int CommentMaxLength { get; set; } = 1000;

    /// <summary><c>Feedback:SummaryAfterDays</c>: days after a wave's survey went out that its leads get the summary; 0 turns it off.</summary>
    public double SummaryAfterDays { get; set; } = 7;

    /// <summary><c>Feedback:ReminderAfterDays</c>: days after a wave's survey went out that non-responders get one reminder; 0 turns it off.</summary>
    public double ReminderAfterDays { get; set; } = 3;

    /// <summary><c>Feedback:SyncInterval</c>: how often the SharePoint queue and the reminder/summary schedule are checked.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Feedback:MaxSyncBackoff</c>: the longest wait between two attempts of one answer after repeated failures.</summary>
    public TimeSpan MaxSyncBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when both the site and the list are configured.</summary>
    public bool SharePointEnabled => !string.IsNullOrWhiteSpace(SharePointSiteId) && !string.IsNullOrWhiteSpace(SharePointListId);
}

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

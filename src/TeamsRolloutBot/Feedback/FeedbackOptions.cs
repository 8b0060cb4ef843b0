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

    /// <summary><c>Feedback:SummaryAfterDays</c>: days after a wave's survey was first delivered that its leads get the summary; 0 turns it off.</summary>
    public double SummaryAfterDays { get; set; } = 7;

    /// <summary><c>Feedback:ReminderAfterDays</c>: days after the survey was delivered to a person that they get one reminder if they have not answered; 0 turns it off.</summary>
    public double ReminderAfterDays { get; set; } = 3;

    /// <summary><c>Feedback:SyncInterval</c>: how often the SharePoint queue and the reminder/summary schedule are checked.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Feedback:MaxSyncBackoff</c>: the longest wait between two attempts of one answer after repeated failures.</summary>
    public TimeSpan MaxSyncBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>True when both the site and the list are configured.</summary>
    public bool SharePointEnabled => !string.IsNullOrWhiteSpace(SharePointSiteId) && !string.IsNullOrWhiteSpace(SharePointListId);
}

namespace TeamsRolloutBot.Commands;

/// <summary>Result words stored in the audit log.</summary>
public static class AuditResults
{
    public const string Done = "done";
    public const string Refused = "refused";
    public const string Failed = "failed";
    public const string AwaitingConfirmation = "awaiting confirmation";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
    public const string Approved = "approved";
    public const string Held = "held";
    public const string ApprovalCardSent = "approval card sent";
    public const string ApprovalReminderSent = "approval reminder sent";
    public const string ApprovalReset = "approval reset";
}

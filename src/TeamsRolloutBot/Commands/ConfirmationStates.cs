namespace TeamsRolloutBot.Commands;

/// <summary>The states of a <see cref="PendingConfirmation"/>.</summary>
public static class ConfirmationStates
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
}

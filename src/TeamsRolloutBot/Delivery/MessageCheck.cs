using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// One plan message after a reload, against the cards sent of it: sent (as the plan says), due (nothing sent yet),
/// changed after send (<see cref="Changed"/> of the <see cref="Live"/> cards in Teams differ from what the plan renders
/// now) or removed (cards in Teams, no longer in the plan). <see cref="NoticeKey"/> names this change for the leads' notice.
/// </summary>
public sealed record MessageCheck(string MessageId, SendState State, int Live, int Changed, int Removed, string? NoticeKey);

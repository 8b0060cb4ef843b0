namespace TeamsRolloutBot.Delivery;

/// <summary>
/// What the delivery layer needs from the plan: the sends, the departments and the leads to report to.
/// <see cref="Languages"/> are the plan's languages (null: every language the bot has texts for).
/// <see cref="ApprovalAhead"/>: the waves whose first send waits for a lead's approval, with how long ahead the leads get the card.
/// </summary>
public sealed record DeliveryPlan(
    string Name,
    IReadOnlyList<PlannedSend> Sends,
    IReadOnlyDictionary<string, DepartmentTarget> Departments,
    IReadOnlyList<string> Leads,
    string DefaultLanguage = "nl",
    string? LeadGroupId = null,
    IReadOnlyList<string>? Languages = null,
    IReadOnlyDictionary<string, TimeSpan>? ApprovalAhead = null);

namespace TeamsRolloutBot.Plan;

/// <summary>Who employees can ask for help, shown on the cards (plan field <c>contact</c>).</summary>
public sealed record PlanContact(string? Name, string? Email, string? Url);

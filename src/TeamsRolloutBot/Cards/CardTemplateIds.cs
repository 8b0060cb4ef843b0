namespace TeamsRolloutBot.Cards;

/// <summary>The card template ids. Plan messages may use <see cref="PlanUsable"/>; the rest are the bot's own cards.</summary>
public static class CardTemplateIds
{
    public const string Introduction = "introduction";
    public const string PreEnrollment = "pre-enrollment";
    public const string Enrollment = "enrollment";
    public const string Survey = "survey";
    public const string Reminder = "reminder";
    public const string SurveyThanks = "survey-thanks";
    public const string Welcome = "welcome";
    public const string Help = "help";
    public const string Status = "status";

    /// <summary>The templates a plan message may name in its <c>template</c> field.</summary>
    public static IReadOnlyList<string> PlanUsable { get; } = [Introduction, PreEnrollment, Enrollment, Survey, Reminder];

    /// <summary>Templates the bot sends on its own; a plan may not name them.</summary>
    public static IReadOnlyList<string> BotInternal { get; } = [SurveyThanks, Welcome, Help, Status];

    /// <summary>Every template, plan-usable first.</summary>
    public static IReadOnlyList<string> All { get; } = [.. PlanUsable, SurveyThanks, Welcome, Help, Status];
}

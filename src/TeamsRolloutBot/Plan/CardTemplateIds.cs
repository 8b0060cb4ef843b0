namespace TeamsRolloutBot.Plan;

/// <summary>The card template ids: the ones a plan may name and the ones only the bot itself uses.</summary>
public static class CardTemplateIds
{
    public const string Introduction = "introduction";
    public const string PreEnrollment = "pre-enrollment";
    public const string Enrollment = "enrollment";
    public const string Survey = "survey";
    public const string Reminder = "reminder";
    public const string Welcome = "welcome";
    public const string Help = "help";
    public const string Status = "status";

    /// <summary>Templates a plan message may use (<c>template:</c>).</summary>
    public static IReadOnlyList<string> PlanUsable { get; } = [Introduction, PreEnrollment, Enrollment, Survey, Reminder];

    /// <summary>Templates the bot sends on its own (install, help, status); a plan may not name them.</summary>
    public static IReadOnlyList<string> BotInternal { get; } = [Welcome, Help, Status];

    public static IReadOnlyList<string> All { get; } = [.. PlanUsable, .. BotInternal];
}

/// <summary>Fixed vocabularies of the plan format.</summary>
public static class PlanVocabulary
{
    /// <summary>Languages the bot has card texts for.</summary>
    public static IReadOnlyList<string> SupportedLanguages { get; } = ["nl", "en"];

    /// <summary>Platforms the enrollment card has instructions for.</summary>
    public static IReadOnlyList<string> Platforms { get; } = ["windows", "ios", "android", "macos"];

    public static IReadOnlyList<string> Phases { get; } = ["introduction", "pre-enrollment", "enrollment", "post-enrollment", "reminder"];

    public static IReadOnlyList<string> Audiences { get; } = ["channel", "members", "both", "email"];

    public static IReadOnlyList<string> WeekendPolicies { get; } = ["keep", "next-business-day"];
}

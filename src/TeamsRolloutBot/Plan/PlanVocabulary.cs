namespace TeamsRolloutBot.Plan;

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

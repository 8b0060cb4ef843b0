namespace TeamsRolloutBot.Plan;

/// <summary>Fixed vocabularies of the plan format.</summary>
public static class PlanVocabulary
{
    /// <summary>Languages the bot has card texts for.</summary>
    public static IReadOnlyList<string> SupportedLanguages { get; } = ["nl", "en"];

    public static IReadOnlyList<string> Phases { get; } = ["introduction", "pre-enrollment", "enrollment", "post-enrollment", "reminder"];

    public static IReadOnlyList<string> Audiences { get; } = ["channel", "members", "both", "email"];

    public static IReadOnlyList<string> WeekendPolicies { get; } = ["keep", "next-business-day"];
}

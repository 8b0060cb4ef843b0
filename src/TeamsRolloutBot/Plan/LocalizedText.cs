namespace TeamsRolloutBot.Plan;

/// <summary>A text in every language of the plan (a YAML map of language codes, or one string for all).</summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The text in <paramref name="language"/>, else in <paramref name="fallbackLanguage"/>, else any.</summary>
    public string Get(string language, string fallbackLanguage) =>
        Values.TryGetValue(language, out var text) ? text
        : Values.TryGetValue(fallbackLanguage, out var fallback) ? fallback
        : Values.Values.FirstOrDefault() ?? "";
}

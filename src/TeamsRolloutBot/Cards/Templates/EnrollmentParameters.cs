namespace TeamsRolloutBot.Cards.Templates;

/// <summary>The parameters of the enrollment card (enrollment.json); it needs the platforms to give instructions for.</summary>
internal static class EnrollmentParameters
{
    /// <summary>Platforms the enrollment card (and the reminder) has instructions for: <c>platforms.json</c> and the strings files.</summary>
    public static IReadOnlyList<string> Platforms { get; } = ["windows", "ios", "android", "macos"];

    public static TemplateParameters Schema { get; } = new(
        CardTemplateIds.Enrollment,
        new OrderedDictionary<string, ParameterCheck>
        {
            ["intro"] = (c, v, p, _) => c.Text(v, p),
            ["platforms"] = (c, v, p, t) => c.CheckPlatforms(v, p, t),
            ["resources"] = (c, v, p, t) => c.CheckResources(v, p, t),
        },
        [new RequiredParameter("platforms", "an enrollment card needs the platforms to give instructions for", $"add parameters: {{ platforms: [{string.Join(", ", Platforms)}] }}")]);
}

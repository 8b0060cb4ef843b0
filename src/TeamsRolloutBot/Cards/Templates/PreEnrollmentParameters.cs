namespace TeamsRolloutBot.Cards.Templates;

/// <summary>The parameters of the pre-enrollment card (pre-enrollment.json).</summary>
internal static class PreEnrollmentParameters
{
    public static TemplateParameters Schema { get; } = new(
        CardTemplateIds.PreEnrollment,
        new OrderedDictionary<string, ParameterCheck>
        {
            ["intro"] = (c, v, p, _) => c.Text(v, p),
            ["prepare"] = (c, v, p, _) => c.TextList(v, p),
            ["resources"] = (c, v, p, t) => c.CheckResources(v, p, t),
        });
}

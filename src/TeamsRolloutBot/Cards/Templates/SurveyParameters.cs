namespace TeamsRolloutBot.Cards.Templates;

/// <summary>The parameters of the survey card (survey.json); it needs the id of its survey.</summary>
internal static class SurveyParameters
{
    public static TemplateParameters Schema { get; } = new(
        CardTemplateIds.Survey,
        new OrderedDictionary<string, ParameterCheck>
        {
            ["survey"] = (c, v, p, _) => c.SurveyId(v, p),
            ["resources"] = (c, v, p, t) => c.CheckResources(v, p, t),
        },
        [new RequiredParameter("survey", "a survey card needs the survey id", "add parameters: { survey: <survey id> }")]);
}

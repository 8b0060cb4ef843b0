namespace TeamsRolloutBot.Cards.Templates;

/// <summary>The parameters of the introduction card (introduction.json).</summary>
internal static class IntroductionParameters
{
    public static TemplateParameters Schema { get; } = new(
        CardTemplateIds.Introduction,
        new OrderedDictionary<string, ParameterCheck>
        {
            ["why"] = (c, v, p, _) => c.Text(v, p),
            ["timeline"] = (c, v, p, t) => c.CheckTimeline(v, p, t),
            ["meeting"] = (c, v, p, t) => c.CheckMeeting(v, p, t),
            ["resources"] = (c, v, p, t) => c.CheckResources(v, p, t),
        });
}

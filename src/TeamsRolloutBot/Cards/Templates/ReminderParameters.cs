namespace TeamsRolloutBot.Cards.Templates;

/// <summary>The parameters of the reminder card (reminder.json).</summary>
internal static class ReminderParameters
{
    public static TemplateParameters Schema { get; } = new(
        CardTemplateIds.Reminder,
        new OrderedDictionary<string, ParameterCheck>
        {
            ["text"] = (c, v, p, _) => c.Text(v, p),
            ["deadline"] = (c, v, p, _) => c.Deadline(v, p),
            ["link"] = (c, v, p, t) => c.CheckLink(v, p, t),
            ["platforms"] = (c, v, p, t) => c.CheckPlatforms(v, p, t),
            ["resources"] = (c, v, p, t) => c.CheckResources(v, p, t),
        });
}

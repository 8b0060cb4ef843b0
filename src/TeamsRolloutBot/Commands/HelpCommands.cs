using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Commands;

/// <summary><c>help</c> and <c>whoami</c>: the commands everyone may use.</summary>
public sealed class HelpCommands(PlanProvider plans, CommandTexts texts)
{
    /// <summary>The help card (Cards template <c>help</c>) with every command this user may use.</summary>
    public CommandReply Help(CommandContext context)
    {
        var language = context.Language;
        var isLead = context.Lead.IsLead;
        // The command column in the user's language (Dutch words in Dutch); both languages work either way.
        JsonObject Command(string key) => new() { ["command"] = texts.Get(language, $"helpcmd.{key}.command"), ["description"] = texts.Get(language, "helpcmd." + key) };
        var parameters = new JsonObject
        {
            ["isLead"] = isLead,
            ["employeeCommands"] = new JsonArray(Command("whoami")),
        };
        if (isLead)
        {
            parameters["leadCommands"] = new JsonArray(
                Command("plan"), Command("reload"), Command("schedule"), Command("wavestart"), Command("wavecontrol"),
                Command("send"), Command("approve"), Command("hold"), Command("update"), Command("retract"), Command("feedback"), Command("setuplist"), Command("export"),
                Command("deliveries"), Command("deliveriesretry"));
        }
        var data = (plans.Current is { } plan ? PlanCards.Base(plan) : new CardData { RolloutName = CardStrings.Text(language, "common.defaultRollout") }) with { Parameters = parameters };
        var card = CardRenderer.Render(CardTemplateIds.Help, data.ToJson(), language);
        if (isLead)
        {
            var actions = card["actions"] as JsonArray ?? [];
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.plan"), "plan"));
            actions.Add(CommandCards.RunButton(texts.Get(language, "button.status"), "status"));
            card["actions"] = actions;
        }
        return CommandReply.FromCard(card, CardStrings.Text(language, "help.title"));
    }

    public CommandReply WhoAmI(CommandContext context)
    {
        var language = context.Language;
        var reason = texts.Format(language, "lead.reason." + context.Lead.Reason, context.Lead.UserPrincipalName ?? "");
        return CommandReply.Message(texts.Format(language, "whoami.text",
            context.UserName, context.UserId.Length > 0 ? context.UserId : "—", reason));
    }
}

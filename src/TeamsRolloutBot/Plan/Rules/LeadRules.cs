namespace TeamsRolloutBot.Plan.Rules;

/// <summary><c>leads:</c>, the project leads who may drive the bot.</summary>
internal sealed class LeadRules(PlanNodeReader r)
{
    public PlanLeads? ReadLeads(PlanFields root)
    {
        if (root["leads"] is not { } node || r.Map(node, "leads", ["users", "group"], []) is not { } fields)
        {
            return null;
        }

        var before = r.Diagnostics.Count;
        var users = fields["users"] is { } u ? r.UserList(u, fields.Sub("users")) : [];
        var group = fields["group"] is { } g ? r.GroupId(g, fields.Sub("group")) : null;
        if (users.Count == 0 && group is null && r.Diagnostics.Count == before)
        {
            r.Error(node, "leads", "no project leads: nobody could drive the bot", "add users: [<Entra object id or UPN>] and/or group: <Entra group id>");
        }

        return new PlanLeads(users, group);
    }
}

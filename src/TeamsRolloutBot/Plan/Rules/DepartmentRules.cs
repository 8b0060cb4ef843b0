using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>One entry of <c>departments:</c>: id, name, the channel and/or members it is reached by, size and language.</summary>
internal sealed partial class DepartmentRules(PlanNodeReader r)
{
    private static readonly string[] DepartmentKeys = ["id", "name", "team", "channel", "members", "expectedSize", "language"];

    [GeneratedRegex(@"^19:[^\s]+@thread\.[a-z0-9]+$")]
    private static partial Regex ThreadIdPattern();

    public Department? ReadDepartment(YamlNode node, string path)
    {
        if (r.Map(node, path, DepartmentKeys, ["id", "name"]) is not { } fields)
        {
            return null;
        }

        var id = r.Id(fields);
        var name = fields["name"] is { } n ? r.Localized(n, fields.Sub("name"), allowPlain: true) : null;
        string? team = null, channel = null;
        if (fields["team"] is { } teamNode && r.Scalar(teamNode, fields.Sub("team")) is { } teamValue)
        {
            if (!Guid.TryParse(teamValue, out _) && !ThreadIdPattern().IsMatch(teamValue))
            {
                r.Error(teamNode, fields.Sub("team"), $"'{teamValue}' is not a Teams team id", "use the team's group id (a GUID) or its thread id (19:...@thread.tacv2), from the team's 'Get link to team'");
            }

            team = teamValue;
        }

        if (fields["channel"] is { } channelNode && r.Scalar(channelNode, fields.Sub("channel")) is { } channelValue)
        {
            if (!ThreadIdPattern().IsMatch(channelValue))
            {
                r.Error(channelNode, fields.Sub("channel"), $"'{channelValue}' is not a Teams channel id", "copy the id from the channel's 'Get link to channel': it looks like 19:...@thread.tacv2");
            }

            channel = channelValue;
            if (team is null)
            {
                r.Error(channelNode, fields.Sub("team"), "a channel is given without its team", "add team: <team id> next to channel:");
            }
        }

        MemberSource? members = null;
        if (fields["members"] is { } membersNode && r.Map(membersNode, fields.Sub("members"), ["group", "users"], []) is { } m)
        {
            var group = m["group"] is { } g ? r.GroupId(g, m.Sub("group")) : null;
            var users = m["users"] is { } u ? r.UserList(u, m.Sub("users")) : [];
            if (m.Has("group") && m.Has("users"))
            {
                r.Error(membersNode, m.Path, "members has both group and users", "choose one: group: <Entra group id>, or users: [<object id or UPN>, ...]");
            }
            else if (!m.Has("group") && !m.Has("users"))
            {
                r.Error(membersNode, m.Path, "members names no group and no users", "write group: <Entra group id>, or users: [<object id or UPN>, ...]");
            }
            else if (m.Has("users") && users.Count == 0 && m["users"] is YamlSequenceNode { Children.Count: 0 })
            {
                r.Error(membersNode, m.Sub("users"), "the member list is empty", "list the members' object ids or UPNs, or use group:");
            }

            members = new MemberSource(group, users);
        }

        int? size = null;
        if (fields["expectedSize"] is { } sizeNode && r.Scalar(sizeNode, fields.Sub("expectedSize")) is { } sizeText)
        {
            if (int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                size = parsed;
            }
            else
            {
                r.Error(sizeNode, fields.Sub("expectedSize"), $"'{sizeText}' is not a positive whole number", "write the expected number of members, e.g. expectedSize: 260 (no thousands separator)");
            }
        }

        string? language = null;
        if (fields["language"] is { } languageNode && r.Scalar(languageNode, fields.Sub("language")) is { } languageValue)
        {
            if (r.Languages.Contains(languageValue))
            {
                language = languageValue;
            }
            else
            {
                r.Error(languageNode, fields.Sub("language"), $"'{languageValue}' is not one of the plan's languages ({Join(r.Languages)})",
                    $"{Suggest.DidYouMean(languageValue, r.Languages)}set language to one of {Join(r.Languages)}, add it to languages, or leave it out to use defaultLanguage");
            }
        }

        if (channel is null && members is null && !fields.Has("channel") && !fields.Has("members"))
        {
            r.Error(node, path, $"department '{id}' has no channel and no members: the bot cannot reach it", "add channel: and team: for channel posts, and/or members: { group: <Entra group id> } for 1:1 messages");
        }

        return id is null ? null : new Department(id, name ?? r.Same(id), team, channel, members, size, Loc(node)) { Language = language };
    }
}

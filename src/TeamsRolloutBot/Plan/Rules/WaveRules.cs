using YamlDotNet.RepresentationModel;
using static TeamsRolloutBot.Plan.PlanNodeReader;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary>One entry of <c>waves:</c>: id, name, departments, start, duration and the wave's own messages.</summary>
internal sealed class WaveRules(PlanNodeReader r, MessageRules messages)
{
    private static readonly string[] WaveKeys = ["id", "name", "departments", "start", "duration", "messages", "approval", "approvalAhead"];

    public Wave? ReadWave(YamlNode node, string path, List<Department> departments)
    {
        if (r.Map(node, path, WaveKeys, ["id", "departments", "start"]) is not { } fields)
        {
            return null;
        }

        var id = r.Id(fields);
        var name = fields["name"] is { } n ? r.Localized(n, fields.Sub("name"), allowPlain: true) : null;
        var all = false;
        var ids = new List<string>();
        if (fields["departments"] is YamlScalarNode allNode)
        {
            if (allNode.Value == "all")
            {
                all = true;
                ids.AddRange(departments.Select(d => d.Id));
            }
            else
            {
                r.Error(allNode, fields.Sub("departments"), $"'{allNode.Value}' is not a list of departments", "write departments: all, or a list such as departments: [it, hr]");
            }
        }
        else if (fields["departments"] is { } listNode && r.Sequence(listNode, fields.Sub("departments")) is { } items)
        {
            if (items.Count == 0)
            {
                r.Error(listNode, fields.Sub("departments"), "the wave has no departments", "list the department ids of this wave, or write departments: all");
            }

            foreach (var item in items)
            {
                if (r.Scalar(item, fields.Sub("departments")) is not { } departmentId)
                {
                    continue;
                }

                if (departments.All(d => d.Id != departmentId))
                {
                    r.Error(item, fields.Sub("departments"), $"unknown department '{departmentId}'",
                        $"{Suggest.DidYouMean(departmentId, departments.Select(d => d.Id))}use an id from departments: ({Join(departments.Select(d => d.Id))})");
                }
                else if (ids.Contains(departmentId))
                {
                    r.Error(item, fields.Sub("departments"), $"department '{departmentId}' is listed twice", "list each department once");
                }
                else
                {
                    ids.Add(departmentId);
                }
            }
        }

        var start = fields["start"] is { } s ? r.Date(s, fields.Sub("start")) : null;
        var duration = PlanLoader.DefaultWaveDurationDays;
        if (fields["duration"] is { } d && r.Offset(d, fields.Sub("duration")) is { } days)
        {
            if (days.Days <= 0)
            {
                r.Error(d, fields.Sub("duration"), $"duration {days.Text} is not positive", "write a duration such as 4w or 30d");
            }
            else
            {
                duration = days.Days;
            }
        }

        List<PlanMessage>? own = null;
        if (fields.Has("messages"))
        {
            own = r.ReadList(fields, "messages", messages.ReadMessage);
        }

        var (approval, ahead) = new ApprovalRules(r).Read(fields);
        return id is null || start is null
            ? null
            : new Wave(id, name ?? r.Same(id), all, ids, start.Value, duration, own, Loc(node)) { OwnApproval = approval, OwnApprovalAhead = ahead };
    }
}

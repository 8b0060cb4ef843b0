using System.Globalization;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Plan.Rules;

/// <summary><c>approval: required | none</c> and <c>approvalAhead: 24h</c>, at the top level and in a wave.</summary>
internal sealed partial class ApprovalRules(PlanNodeReader r)
{
    private static readonly TimeSpan Shortest = TimeSpan.FromHours(1);
    private static readonly TimeSpan Longest = TimeSpan.FromDays(14);

    [GeneratedRegex(@"^([0-9]+)\s*([hd])$")]
    private static partial Regex AheadPattern();

    /// <summary>The map's approval (null when absent or wrong) and ahead time (null when absent or wrong); errors name the field.</summary>
    public (bool? Required, TimeSpan? Ahead) Read(PlanFields fields)
    {
        bool? required = null;
        if (fields["approval"] is { } node && r.Scalar(node, fields.Sub("approval")) is { } text)
        {
            required = text switch
            {
                "required" => true,
                "none" => false,
                _ => null,
            };
            if (required is null)
            {
                r.Error(node, fields.Sub("approval"), $"'{text}' is not an approval setting",
                    $"{Suggest.DidYouMean(text, ["required", "none"])}write approval: required (a lead approves the wave's first send) or approval: none");
            }
        }

        TimeSpan? ahead = null;
        if (fields["approvalAhead"] is { } aheadNode && r.Scalar(aheadNode, fields.Sub("approvalAhead")) is { } aheadText)
        {
            var match = AheadPattern().Match(aheadText.Trim());
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 10_000)
            {
                var value = match.Groups[2].Value == "d" ? TimeSpan.FromDays(count) : TimeSpan.FromHours(count);
                if (value < Shortest || value > Longest)
                {
                    r.Error(aheadNode, fields.Sub("approvalAhead"), $"approvalAhead {aheadText} is outside 1h to 14d", "write a time between 1h and 14d, e.g. approvalAhead: 24h");
                }
                else
                {
                    ahead = value;
                }
            }
            else
            {
                r.Error(aheadNode, fields.Sub("approvalAhead"), $"'{aheadText}' is not a number of hours or days", "write e.g. approvalAhead: 24h or approvalAhead: 2d (before the wave's first send)");
            }
        }

        return (required, ahead);
    }
}

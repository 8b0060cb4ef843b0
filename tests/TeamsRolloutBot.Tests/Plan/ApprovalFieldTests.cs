using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary><c>approval:</c> and <c>approvalAhead:</c> at the top level and per wave: read, inherited, and refused with file, line and field.</summary>
public sealed class ApprovalFieldTests
{
    [Fact]
    public void A_waves_approval_overrides_the_plans_and_the_ahead_time_defaults_to_24_hours()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("leads: { users: [lead@contoso.example] }", "leads: { users: [lead@contoso.example] }\napproval: required")
            .Replace("    start: 2027-08-02", "    start: 2027-08-02\n    approval: none\n    approvalAhead: 2d", StringComparison.Ordinal));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        var it = result.Plan!.FindWave("it")!;
        var hr = result.Plan.FindWave("hr")!;
        Assert.Equal((true, TimeSpan.FromHours(24)), (it.ApprovalRequired, it.ApprovalAhead));
        Assert.Equal((false, TimeSpan.FromDays(2)), (hr.ApprovalRequired, hr.ApprovalAhead));
        Assert.False(PlanFixtures.Parse(PlanFixtures.Small).Plan!.FindWave("it")!.ApprovalRequired);
    }

    [Fact]
    public void A_wrong_approval_or_ahead_time_names_file_line_and_field()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("leads: { users: [lead@contoso.example] }", "leads: { users: [lead@contoso.example] }\napprovalAhead: 3 weeks")
            .Replace("    start: 2027-07-05", "    start: 2027-07-05\n    approval: requird", StringComparison.Ordinal));

        Assert.Null(result.Plan);
        Assert.Collection(result.Errors,
            e => Assert.Equal("plan.yaml:6:16: error: approvalAhead: '3 weeks' is not a number of hours or days — write e.g. approvalAhead: 24h or approvalAhead: 2d (before the wave's first send)", e.ToString()),
            e => Assert.StartsWith("plan.yaml:22:15: error: waves[0].approval: 'requird' is not an approval setting — did you mean 'required'?", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void An_ahead_time_outside_1h_to_14d_is_refused()
    {
        var result = PlanFixtures.Parse(PlanFixtures.SmallWith("leads: { users: [lead@contoso.example] }", "leads: { users: [lead@contoso.example] }\napprovalAhead: 20d"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("approvalAhead", 6), (error.Field, error.Line));
        Assert.Contains("outside 1h to 14d", error.Message, StringComparison.Ordinal);
    }
}

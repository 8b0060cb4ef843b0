using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public sealed class PlanCliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("plan-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int? Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = PlanCli.TryRun(args, CardMessageRules.Instance, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Non_plan_arguments_are_left_to_the_web_host()
    {
        Assert.Null(Run().Code);
        Assert.Null(Run("--urls", "http://localhost:5000").Code);
    }

    [Fact]
    public void Validate_sample_exits_0_and_summarises()
    {
        var (code, stdout, stderr) = Run("plan", "validate", PlanFixtures.SamplePath);

        Assert.Equal(0, code);
        Assert.Contains("valid — 5 waves, 6 departments", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Validate_invalid_plan_exits_1_with_located_errors()
    {
        var path = Path.Combine(folder, "bad.yaml");
        File.WriteAllText(path, PlanFixtures.SmallWith("phase: pre-enrollment", "phase: pre-enrolment"));

        var (code, stdout, stderr) = Run("plan", "validate", path);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{path}:26:12: error: messages[0].phase: unknown phase 'pre-enrolment'", stderr, StringComparison.Ordinal);
        Assert.Contains("not valid — 1 errors, 0 warnings", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_missing_file_exits_1()
    {
        var (code, _, stderr) = Run("plan", "validate", Path.Combine(folder, "nope.yaml"));

        Assert.Equal(1, code);
        Assert.Contains("cannot read the plan file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_with_warnings_only_exits_0_and_prints_them()
    {
        var path = Path.Combine(folder, "warn.yaml");
        File.WriteAllText(path, PlanFixtures.SmallWith("time: \"09:30\"", "time: \"07:15\""));

        var (code, stdout, stderr) = Run("plan", "validate", path);

        Assert.Equal(0, code);
        Assert.Contains("2 warnings", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: messages[0].time: sends at 07:15", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_the_schedule_table_with_local_and_utc_times()
    {
        var (code, stdout, _) = Run("plan", "show", PlanFixtures.SamplePath);

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("wave", lines[1], StringComparison.Ordinal);
        Assert.Contains("local (Europe/Amsterdam)", lines[1], StringComparison.Ordinal);
        var intro = Assert.Single(lines, l => l.StartsWith("introduction ", StringComparison.Ordinal));
        Assert.Matches(@"^introduction\s+intro-meeting\s+introduction\s+channel\s+it,sales-marketing,retail,hr,finance,executives\s+Mon 2027-07-05 09:00 \+02:00\s+2027-07-05 07:00Z$", intro);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^hr-finance-executives\s+post-enrollment\s+post-enrollment\s+members\s+hr,finance,executives\s+Mon 2027-10-25 10:00 \+02:00\s+2027-10-25 08:00Z$"));
        Assert.Equal(33, lines.Length - 3); // title, header, rule, then one row per wave, message and route
    }

    [Fact]
    public void Show_notes_moved_weekend_sends()
    {
        var path = Path.Combine(folder, "weekend.yaml");
        File.WriteAllText(path, PlanFixtures.SmallWith("offset: 0w", "offset: 5d").Replace("languages: [nl, en]", "languages: [nl, en]\nweekendSends: next-business-day", StringComparison.Ordinal));

        var (code, stdout, _) = Run("plan", "show", path);

        Assert.Equal(0, code);
        Assert.Contains(stdout.Split('\n'), l => l.Contains("Mon 2027-07-12 09:30 +02:00", StringComparison.Ordinal) && l.Contains("moved from Sat 2027-07-10", StringComparison.Ordinal));
    }

    [Fact]
    public void Show_invalid_plan_exits_1()
    {
        var path = Path.Combine(folder, "bad.yaml");
        File.WriteAllText(path, PlanFixtures.SmallWith("template: enrollment", "template: enrolment"));

        Assert.Equal(1, Run("plan", "show", path).Code);
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("plan", "check", "x.yaml")]
    [InlineData("plan", "validate")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var (code, _, stderr) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains("usage: plan validate FILE | plan show FILE", stderr, StringComparison.Ordinal);
    }
}

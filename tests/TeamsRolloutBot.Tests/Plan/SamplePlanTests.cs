using System.Globalization;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public class SamplePlanTests
{
    [Fact]
    public void Sample_is_valid_without_warnings()
    {
        var result = PlanLoader.LoadFile(PlanFixtures.SamplePath, CardMessageRules.Instance);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Assert.Equal("Europe/Amsterdam", result.Plan!.TimeZoneId);
        Assert.Equal(["nl", "en"], result.Plan.Languages);
    }

    [Fact]
    public void Sample_departments_have_the_Intune_guide_sizes()
    {
        var plan = PlanFixtures.LoadSample();

        var sizes = plan.Departments.ToDictionary(d => d.Name.Get("en", "en"), d => d.ExpectedSize);
        Assert.Equal(new Dictionary<string, int?>
        {
            ["IT"] = 260, ["Sales and Marketing"] = 2000, ["Retail"] = 1000, ["HR"] = 50, ["Finance"] = 40, ["Executives"] = 30,
        }, sizes);
        Assert.All(plan.Departments, d => Assert.True(d.ChannelId is not null && d.TeamId is not null && d.Members is not null, d.Id));
    }

    // The seed's table ("Communicatieplanning"), column by column: month -> departments in blocks 2-5.
    public static TheoryData<int, string[]> MonthColumns => new()
    {
        { 7, ["it"] },
        { 8, ["sales-marketing"] },
        { 9, ["retail"] },
        { 10, ["hr", "finance", "executives"] },
    };

    [Theory]
    [MemberData(nameof(MonthColumns))]
    public void Sample_schedule_matches_the_seed_table_blocks_2_to_5(int month, string[] departments)
    {
        var sends = ScheduleExpander.Expand(PlanFixtures.LoadSample());

        // Rows of the table: block -> (message, phase, week of the month).
        (string Message, MessagePhase Phase, int Week)[] rows =
        [
            ("pre-rollout-1", MessagePhase.PreEnrollment, 1), // Blok 2: E-mail 1 pre-rollout, eerste week
            ("pre-rollout-2", MessagePhase.PreEnrollment, 2), // Blok 3: E-mail 2 pre-rollout, tweede week
            ("enrollment", MessagePhase.Enrollment, 3), // Blok 4: E-mail voor registratie, derde week
            ("post-enrollment", MessagePhase.PostEnrollment, 4), // Blok 5: E-mail na registratie, vierde week
        ];
        var inMonth = sends.Where(s => s.Wave.Id != "introduction" && s.Local.Month == month).ToList();
        Assert.All(inMonth, s => Assert.Equal(2027, s.Local.Year));
        foreach (var (message, phase, week) in rows)
        {
            var row = inMonth.Where(s => s.MessageId == message).ToList();
            Assert.NotEmpty(row);
            Assert.All(row, s =>
            {
                Assert.Equal(phase, s.Message.Phase);
                Assert.Equal(week, WeekOfMonth(s.Local));
                Assert.Equal(DayOfWeek.Monday, s.Local.DayOfWeek);
            });
            Assert.Equal(departments.Order(), row.Select(s => s.DepartmentId).Distinct().Order());
            Assert.Contains(row, s => s.Audience == SendAudience.Channel);
        }

        // Nothing else lands in this month for the department waves, and these departments get nothing in other months.
        Assert.All(inMonth, s => Assert.Contains(s.MessageId, rows.Select(r => r.Message).Append("enrollment-email")));
        Assert.All(sends.Where(s => s.Wave.Id != "introduction" && departments.Contains(s.DepartmentId)), s => Assert.Equal(month, s.Local.Month));
    }

    [Fact]
    public void Sample_schedule_matches_the_seed_table_block_1_introduction_for_everyone_in_the_first_week_of_July()
    {
        var plan = PlanFixtures.LoadSample();
        var intro = ScheduleExpander.Expand(plan).Where(s => s.Message.Phase == MessagePhase.Introduction).ToList();

        Assert.NotEmpty(intro);
        Assert.All(intro, s =>
        {
            Assert.Equal(7, s.Local.Month);
            Assert.Equal(1, WeekOfMonth(s.Local));
            Assert.Equal(CardTemplateIds.Introduction, s.Message.Template);
        });
        Assert.Equal(plan.Departments.Select(d => d.Id).Order(), intro.Select(s => s.DepartmentId).Distinct().Order());
    }

    [Fact]
    public void Sample_sends_have_exact_local_and_utc_times()
    {
        var sends = ScheduleExpander.Expand(PlanFixtures.LoadSample());

        string Times(string key)
        {
            var send = Assert.Single(sends, s => s.Key == key);
            return string.Create(CultureInfo.InvariantCulture, $"{send.Local:yyyy-MM-dd HH:mm zzz} | {send.Utc:yyyy-MM-dd HH:mm zzz}");
        }

        Assert.Equal("2027-07-05 09:00 +02:00 | 2027-07-05 07:00 +00:00", Times("introduction/intro-meeting/hr/channel"));
        Assert.Equal("2027-07-05 09:30 +02:00 | 2027-07-05 07:30 +00:00", Times("it/pre-rollout-1/it/members"));
        Assert.Equal("2027-08-16 09:05 +02:00 | 2027-08-16 07:05 +00:00", Times("sales-marketing/enrollment-email/sales-marketing/email"));
        Assert.Equal("2027-10-25 10:00 +02:00 | 2027-10-25 08:00 +00:00", Times("hr-finance-executives/post-enrollment/executives/channel"));
        Assert.Equal(54, sends.Count);
    }

    [Fact]
    public void Sample_wave_without_messages_uses_the_shared_messages_and_introduction_wave_its_own()
    {
        var plan = PlanFixtures.LoadSample();

        Assert.Equal(["intro-meeting"], plan.FindWave("introduction")!.EffectiveMessages.Select(m => m.Id));
        Assert.Equal(plan.SharedMessages.Select(m => m.Id), plan.FindWave("retail")!.EffectiveMessages.Select(m => m.Id));
        Assert.True(plan.FindWave("introduction")!.AllDepartments);
    }

    private static int WeekOfMonth(DateTimeOffset local) => ((local.Day - 1) / 7) + 1;
}

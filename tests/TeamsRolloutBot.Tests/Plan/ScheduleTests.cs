using System.Globalization;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public class ScheduleTests
{
    // One wave, messages as given; Europe/Amsterdam.
    private static string Plan(string start, string messages, string extra = "") => $"""
        rollout: DST test
        timeZone: Europe/Amsterdam
        languages: [en]
        leads: {"{"} group: 22222222-2222-2222-2222-222222222222 {"}"}
        businessHours: {"{"} start: "00:00", end: "23:59" {"}"}
        {extra}
        departments:
          - {"{"} id: it, name: IT, team: "19:t@thread.tacv2", channel: "19:c@thread.tacv2", members: {"{"} group: 11111111-1111-1111-1111-111111111111 {"}"} {"}"}
        waves:
          - id: w
            departments: [it]
            start: {start}
            messages:
        {messages}
        """;

    private static string Message(string id, string offset, string time) =>
        $"      - {{ id: {id}, phase: reminder, offset: {offset}, time: \"{time}\", audience: channel, template: reminder }}";

    private static string Utc(ScheduledSend send) => send.Utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Local(ScheduledSend send) => send.Local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    [Fact]
    public void Wave_spanning_the_last_Sunday_of_October_keeps_local_time_and_shifts_utc()
    {
        // 2027-10-31 is the last Sunday of October: Amsterdam goes from UTC+2 to UTC+1.
        var plan = PlanFixtures.ParseValid(Plan("2027-10-25", string.Join('\n', Message("before", "0d", "09:30"), Message("after", "1w", "09:30"))));

        var sends = ScheduleExpander.Expand(plan);

        Assert.Equal(["before", "after"], sends.Select(s => s.MessageId));
        Assert.Equal("2027-10-25 09:30 +02:00", Local(sends[0]));
        Assert.Equal("2027-10-25 07:30", Utc(sends[0]));
        Assert.Equal("2027-11-01 09:30 +01:00", Local(sends[1]));
        Assert.Equal("2027-11-01 08:30", Utc(sends[1]));
        Assert.All(sends, s => Assert.Null(s.TimeAdjustment));
    }

    [Fact]
    public void Repeated_hour_on_the_autumn_change_takes_the_first_occurrence_and_warns()
    {
        var result = PlanFixtures.Parse(Plan("2027-10-25", Message("ambiguous", "6d", "02:30")));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        var send = Assert.Single(ScheduleExpander.Expand(result.Plan!));
        Assert.Equal("2027-10-31 02:30 +02:00", Local(send));
        Assert.Equal("2027-10-31 00:30", Utc(send));
        Assert.Contains(result.Warnings, w => w.Message.Contains("happens twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_hour_on_the_spring_change_moves_forward_by_the_gap_and_warns()
    {
        // 2027-03-28 is the last Sunday of March: 02:00 jumps to 03:00.
        var result = PlanFixtures.Parse(Plan("2027-03-22", Message("gap", "6d", "02:30")));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        var send = Assert.Single(ScheduleExpander.Expand(result.Plan!));
        Assert.Equal("2027-03-28 03:30 +02:00", Local(send));
        Assert.Equal("2027-03-28 01:30", Utc(send));
        Assert.Contains(result.Warnings, w => w.Message.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Weekend_sends_move_to_monday_when_the_plan_says_so()
    {
        // 2027-07-10 is a Saturday, 2027-07-11 a Sunday.
        var plan = PlanFixtures.ParseValid(Plan("2027-07-05", string.Join('\n', Message("sat", "5d", "09:00"), Message("sun", "6d", "09:00"), Message("fri", "4d", "09:00")), "weekendSends: next-business-day"));

        var sends = ScheduleExpander.Expand(plan).ToDictionary(s => s.MessageId);

        Assert.Equal("2027-07-12 09:00 +02:00", Local(sends["sat"]));
        Assert.Equal(new DateOnly(2027, 7, 10), sends["sat"].MovedFrom);
        Assert.Equal("2027-07-12 09:00 +02:00", Local(sends["sun"]));
        Assert.Equal("2027-07-09 09:00 +02:00", Local(sends["fri"]));
        Assert.Null(sends["fri"].MovedFrom);
    }

    [Fact]
    public void Weekend_sends_stay_when_the_plan_keeps_them()
    {
        var plan = PlanFixtures.ParseValid(Plan("2027-07-05", Message("sat", "5d", "09:00")));

        var send = Assert.Single(ScheduleExpander.Expand(plan));

        Assert.Equal("2027-07-10 09:00 +02:00", Local(send));
        Assert.Null(send.MovedFrom);
    }

    [Fact]
    public void Moving_skips_holidays_after_the_weekend()
    {
        var plan = PlanFixtures.ParseValid(Plan("2027-07-05", Message("sat", "5d", "09:00"), "weekendSends: next-business-day\nholidays: [2027-07-12]"));

        var send = Assert.Single(ScheduleExpander.Expand(plan));

        Assert.Equal("2027-07-13 09:00 +02:00", Local(send));
    }

    [Fact]
    public void Moved_send_that_leaves_the_wave_is_an_error()
    {
        var result = PlanFixtures.Parse(Plan("2027-07-05", Message("last", "27d", "09:00"), "weekendSends: next-business-day"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("moved from 2027-08-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expansion_is_deterministic_and_idempotent()
    {
        var first = ScheduleExpander.Expand(PlanFixtures.LoadSample());
        var second = ScheduleExpander.Expand(PlanFixtures.LoadSample());
        var again = ScheduleExpander.Expand(PlanFixtures.LoadSample());

        static string[] Flat(IReadOnlyList<ScheduledSend> sends) =>
            sends.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Utc:O} {s.Local:O} {s.Fingerprint}")).ToArray();

        Assert.Equal(Flat(first), Flat(second));
        Assert.Equal(Flat(first), Flat(again));
        Assert.Equal(first.Count, first.Select(s => s.Key).Distinct().Count());
        Assert.Equal(first.OrderBy(s => s.Utc).Select(s => s.Utc), first.Select(s => s.Utc));
    }

    [Fact]
    public void Both_audience_expands_to_channel_and_members_with_distinct_keys()
    {
        var sends = ScheduleExpander.Expand(PlanFixtures.LoadSample()).Where(s => s.WaveId == "it" && s.MessageId == "pre-rollout-1").ToList();

        Assert.Equal(["it/pre-rollout-1/it/channel", "it/pre-rollout-1/it/members"], sends.Select(s => s.Key));
    }

    [Fact]
    public void Fingerprint_ignores_the_send_time_but_not_the_content()
    {
        var original = PlanFixtures.ParseValid(PlanFixtures.Small).SharedMessages[1];
        var retimed = PlanFixtures.ParseValid(PlanFixtures.SmallWith("time: \"09:00\"", "time: \"10:00\"")).SharedMessages[1];
        var changed = PlanFixtures.ParseValid(PlanFixtures.SmallWith("[windows, ios]", "[windows, ios, android]")).SharedMessages[1];

        Assert.Equal(original.Fingerprint, retimed.Fingerprint);
        Assert.NotEqual(original.Fingerprint, changed.Fingerprint);
    }
}

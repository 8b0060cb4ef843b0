using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>
/// A lead's <c>wave start &lt;wave&gt; &lt;date&gt;</c> is checked like the plan (issue 18.4): not in the past, the overlap rule
/// against the other waves' current start dates, every send inside the window; refused with the reason in the lead's
/// language, nothing stored, the refusal audited. The commands clock says 2027-07-01 (Thursday). Each test moves waves,
/// so each gets its own bot: the expected windows do not depend on the order the tests run in.
/// </summary>
public sealed class WaveStartDateTests : IAsyncLifetime
{
    private readonly CommandsHarness bot = new();

    public ValueTask InitializeAsync() => bot.InitializeAsync();

    public ValueTask DisposeAsync() => bot.DisposeAsync();

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string command) =>
        [.. (await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(200, TestContext.Current.CancellationToken)).Where(e => e.Command == command)];

    [Fact]
    public async Task A_valid_move_is_stored_and_an_overlapping_one_is_refused_naming_the_other_wave()
    {
        var moved = await bot.AskAsync("wave start autumn 2027-09-13");
        Assert.Contains("Wave **Autumn** starts on 2027-09-13.", moved.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("weekend", moved.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-09-13 (planned: 2027-09-06)", moved.Text, StringComparison.Ordinal);
        Assert.Single(await AuditAsync("wave start autumn 2027-09-13"), e => e.Result == AuditResults.Done);

        // Pilot (small) runs 2027-07-05 to 2027-08-01: autumn (small too) cannot start inside it.
        var refused = await bot.AskAsync("wave start autumn 2027-07-19");
        Assert.Contains("Wave **Autumn** cannot start on 2027-07-19: its window (2027-07-19 to 2027-08-15) would overlap wave **Pilot wave** (`pilot`, 2027-07-05 to 2027-08-01), which department Small is also in.",
            refused.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-09-13 (planned: 2027-09-06)", refused.Text, StringComparison.Ordinal);
        var audit = Assert.Single(await AuditAsync("wave start autumn 2027-07-19"));
        Assert.Equal(AuditResults.Refused, audit.Result);
        Assert.Contains("overlaps wave pilot", audit.Detail, StringComparison.Ordinal);

        // `now` is checked too: today (2027-07-01) gives a window up to 2027-07-28, inside pilot's.
        var now = await bot.AskAsync("wave start autumn now");
        Assert.Contains("Wave **Autumn** cannot start on 2027-07-01:", now.Text, StringComparison.Ordinal);
        Assert.Contains("(`pilot`, 2027-07-05 to 2027-08-01)", now.Text, StringComparison.Ordinal);
        Assert.Equal(AuditResults.Refused, Assert.Single(await AuditAsync("wave start autumn 2027-07-01")).Result);
        Assert.Contains("Start: 2027-09-13 (planned: 2027-09-06)", (await bot.AskAsync("status autumn")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_overlap_rule_uses_the_start_dates_the_leads_set_and_a_weekend_start_keeps_its_sends_on_that_day()
    {
        // Saturday, right after pilot: the plan says weekendSends: keep (the default), so the sends go out that day.
        var winter = await bot.AskAsync("wave start winter 2027-08-07");
        Assert.Contains("Wave **Winter** starts on 2027-08-07. Sends that fall on a weekend day or holiday go out on that day (plan: weekendSends: keep): `prepare` on Saturday 2027-08-07; `enroll` on Saturday 2027-08-14.",
            winter.Text, StringComparison.Ordinal);

        // Pilot moved a week later would reach into winter's new window (planned in December, it would not).
        var pilot = await bot.AskAsync("wave start pilot 2027-07-12");
        Assert.Contains("would overlap wave **Winter** (`winter`, 2027-08-07 to 2027-09-03), which department Small is also in.", pilot.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-07-05", pilot.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await AuditAsync("wave start pilot 2027-07-12"), e => e.Result == AuditResults.Done);

        // A cancelled wave sends nothing, so it is in nobody's way.
        await bot.AskAsync("wave cancel winter");
        Assert.Contains("Wave **Pilot wave** starts on 2027-07-12.", (await bot.AskAsync("wave start pilot 2027-07-12")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_past_date_is_refused_and_a_Dutch_command_gets_the_Dutch_reason()
    {
        var past = await bot.AskAsync("wave start main 2027-06-30");
        Assert.Contains("Wave **Main wave** cannot start on 2027-06-30: that day is in the past (today is 2027-07-01). Use `wave start main now` or a date from today on.",
            past.Text, StringComparison.Ordinal);
        Assert.Contains("State: scheduled", past.Text, StringComparison.Ordinal);
        Assert.Equal(AuditResults.Refused, Assert.Single(await AuditAsync("wave start main 2027-06-30")).Result);

        var dutch = await bot.AskAsync("golf start main 30-06-2027", locale: "nl-NL");
        Assert.Contains("Golf **Hoofdgolf** kan niet starten op 2027-06-30: die dag ligt in het verleden (vandaag is 2027-07-01). Gebruik `golf start main nu` of een datum vanaf vandaag.",
            dutch.Text, StringComparison.Ordinal);

        var overlap = await bot.AskAsync("golf start autumn 2027-07-26", locale: "nl-NL");
        Assert.Contains("Golf **Herfst** kan niet starten op 2027-07-26: de periode (2027-07-26 t/m 2027-08-22) zou overlappen met golf **Proefgolf** (`pilot`,",
            overlap.Text, StringComparison.Ordinal);
        Assert.Contains("waar afdeling Klein ook in zit.", overlap.Text, StringComparison.Ordinal);
    }
}

/// <summary>The plan of <see cref="CommandsHarness"/> with <c>weekendSends: next-business-day</c>, a holiday and an 8-day winter wave.</summary>
public sealed class NextBusinessDayHarness : CommandsHarness
{
    protected override string PlanText => Plan
        .Replace("languages: [nl, en]\n", "languages: [nl, en]\nweekendSends: next-business-day\nholidays: [{ date: 2027-11-01, name: All Saints }]\n", StringComparison.Ordinal)
        .Replace("start: 2027-12-06 }", "start: 2027-12-06, duration: 8d }", StringComparison.Ordinal);
}

/// <summary>Weekend and holiday start dates under <c>weekendSends: next-business-day</c>: sends move as the plan's do.</summary>
public sealed class WaveStartNextBusinessDayTests(NextBusinessDayHarness bot) : IClassFixture<NextBusinessDayHarness>
{
    [Fact]
    public async Task A_holiday_start_moves_the_first_send_and_says_so_and_a_send_moved_out_of_the_window_is_refused()
    {
        var holiday = await bot.AskAsync("wave start winter 2027-11-01");
        Assert.Contains("Wave **Winter** starts on 2027-11-01. Sends that fall on a weekend day or holiday move to the next business day (plan: weekendSends: next-business-day): `prepare` Monday 2027-11-01 → Tuesday 2027-11-02.",
            holiday.Text, StringComparison.Ordinal);
        Assert.Contains("- 2027-11-02 09:30: `prepare` to Small (channel)", (await bot.AskAsync("schedule winter")).Text, StringComparison.Ordinal);

        // Saturday: `enroll` (offset 1w, the window's last day) falls on Saturday 2027-11-13 and would move past the window.
        var refused = await bot.AskAsync("wave start winter 2027-11-06");
        Assert.Contains("Wave **Winter** cannot start on 2027-11-06: message `enroll` would then be sent on 2027-11-15 (moved from Saturday 2027-11-13, a weekend day or holiday), outside the wave's window (2027-11-06 to 2027-11-13). Pick another date.",
            refused.Text, StringComparison.Ordinal);
        Assert.Contains("Start: 2027-11-01 (planned: 2027-12-06)", refused.Text, StringComparison.Ordinal);
        var audit = await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(20, TestContext.Current.CancellationToken);
        Assert.Contains(audit, e => e.Command == "wave start winter 2027-11-06" && e.Result == AuditResults.Refused);

        var dutch = await bot.AskAsync("golf start winter 06-11-2027", locale: "nl-NL");
        Assert.Contains("bericht `enroll` zou dan op 2027-11-15 (verschoven van zaterdag 2027-11-13, een weekenddag of feestdag) verstuurd worden, buiten de periode van de golf (2027-11-06 t/m 2027-11-13)", dutch.Text, StringComparison.Ordinal);
    }
}

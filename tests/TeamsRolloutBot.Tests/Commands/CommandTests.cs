using System.Text.Json.Nodes;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Every read-only command as a lead sees it, in personal chat and in a channel (with the bot @mentioned).</summary>
public sealed class CommandTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private async Task<Reply> AskAsync(string text, bool channel)
    {
        if (!channel)
        {
            return await bot.AskAsync(text);
        }
        var calls = await bot.SayAsync(bot.Channel(text));
        var call = Assert.Single(calls);
        Assert.Contains(Uri.EscapeDataString(TestActivities.ChannelConversationId), call.Path, StringComparison.Ordinal);
        return new Reply(call);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plan_shows_the_waves_the_next_sends_and_buttons(bool channel)
    {
        var reply = await AskAsync("plan", channel);
        Assert.Contains("Plan: Commands test rollout", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Pilot wave** (`pilot`): starts 2027-07-05 · Small · scheduled", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Main wave** (`main`): starts 2027-08-02 · Big", reply.Text, StringComparison.Ordinal);
        // Next send: pilot's "prepare" on 2027-07-05 09:30 Amsterdam time, to the channel and to the members.
        Assert.Contains("- 2027-07-05 09:30: `prepare` to Small (channel)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Times in Europe/Amsterdam", reply.Text, StringComparison.Ordinal);
        var commands = reply.Actions.Select(a => a["data"]!["command"]!.GetValue<string>()).ToList();
        Assert.Contains("status pilot", commands);
        Assert.Contains("wave start main", commands);
        Assert.All(reply.Actions, a => Assert.Equal("run", a["verb"]!.GetValue<string>()));
        Assert.All(reply.Actions, a => Assert.Equal("Action.Submit", a["fallback"]!["type"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("schedule pilot", false)]
    [InlineData("ROOSTER   Pilot", true)]
    public async Task Schedule_lists_each_send_of_a_wave_with_local_times(string text, bool channel)
    {
        var reply = await AskAsync(text, channel);
        Assert.Contains("Sends of Pilot wave (3, times in Europe/Amsterdam)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("- 2027-07-05 09:30: `prepare` to Small (channel)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("- 2027-07-05 09:30: `prepare` to Small (each member 1:1)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("- 2027-07-12 09:00: `enroll` to Small (each member 1:1)", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_without_a_wave_lists_what_is_still_ahead_for_all_waves()
    {
        var reply = await bot.AskAsync("schedule");
        Assert.Contains("all waves, still ahead", reply.Text, StringComparison.Ordinal);
        Assert.Contains("`enroll` to Big", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preview enroll nl", false, "Tijd om je apparaten te registreren")]
    [InlineData("voorbeeld enroll en", true, "Time to enroll your devices")]
    public async Task Preview_shows_the_message_card_in_the_asked_language(string text, bool channel, string title)
    {
        var reply = await AskAsync(text, channel);
        Assert.NotNull(reply.Card);
        Assert.Contains(title, reply.Text, StringComparison.Ordinal);
        Assert.Contains("Windows", reply.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("${", reply.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Status_shows_every_wave_and_the_recent_lead_actions(bool channel)
    {
        var reply = await AskAsync("status", channel);
        Assert.Contains("Rollout status: Commands test rollout", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Pilot wave** (`pilot`):", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Recent lead actions", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("does not follow", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.Actions, a => a["data"]!["command"]!.GetValue<string>() == "status main");
    }

    [Fact]
    public async Task Status_of_a_wave_shows_its_state_sends_and_buttons()
    {
        var reply = await bot.AskAsync("status main");
        Assert.Contains("Wave status: Main wave", reply.Text, StringComparison.Ordinal);
        Assert.Contains("State: scheduled", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Planned sends: 3 in total, 3 still ahead", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Next send: 2027-08-02 09:30: `prepare` to Big", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Deliveries: 0 delivered, 0 failed, 0 waiting, 0 skipped", reply.Text, StringComparison.Ordinal);
        var commands = reply.Actions.Select(a => a["data"]!["command"]!.GetValue<string>()).ToList();
        Assert.Equal(["wave pause main", "wave cancel main", "status main"], commands);
    }

    [Theory]
    [InlineData("feedback", false, "All waves")]
    [InlineData("feedback main", true, "Wave: Main wave")]
    [InlineData("feedback big", false, "Big")]
    public async Task Feedback_shows_the_survey_summary_card(string text, bool channel, string expected)
    {
        var reply = await AskAsync(text, channel);
        Assert.NotNull(reply.Card);
        Assert.Contains("Feedback on enrollment", reply.Text, StringComparison.Ordinal);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("${", reply.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_setup_list_reports_that_the_SharePoint_copy_is_off_and_is_audited()
    {
        var reply = await bot.AskAsync("feedback setup-list");
        Assert.Contains("The SharePoint copy of the feedback is off", reply.Text, StringComparison.Ordinal);
        var dutch = await bot.AskAsync("feedback lijst-instellen", locale: "nl-NL");
        Assert.Contains("De SharePoint-kopie van de feedback staat uit", dutch.Text, StringComparison.Ordinal);
        var status = await bot.AskAsync("status");
        Assert.Contains("Lotte Lead: `feedback setup-list`: failed", status.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dutch_commands_and_answers()
    {
        var reply = await bot.AskAsync("Planning", locale: "nl-NL");
        Assert.Contains("Planning: Commands test rollout", reply.Text, StringComparison.Ordinal);
        Assert.Contains("**Proefgolf** (`pilot`): start 2027-07-05 · Klein · gepland", reply.Text, StringComparison.Ordinal);
        var help = await bot.AskAsync("hulp", locale: "nl-NL");
        Assert.Contains("golf pauzeer|hervat|annuleer ‹golf›: Een golf pauzeren, hervatten of annuleren.", help.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extra_spaces_and_nbsp_around_a_mention_are_tolerated()
    {
        var calls = await bot.SayAsync(bot.Channel("&nbsp; status&nbsp;&nbsp;pilot "));
        Assert.Contains("Wave status: Pilot wave", new Reply(Assert.Single(calls)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_mention_a_lead_command_in_a_channel_gets_no_answer()
    {
        var calls = await bot.SayAsync(bot.Channel("wave pause pilot", mention: false));
        Assert.Empty(calls);
    }

    [Theory]
    [InlineData("statsu", "Did you mean **status**?")]
    [InlineData("shedule pilot", "Did you mean **schedule**?")]
    [InlineData("goll start pilot", "Did you mean **golf**?")]
    [InlineData("exprot feedback", "Did you mean **export**?")]
    public async Task An_unknown_command_suggests_the_nearest(string text, string suggestion)
    {
        var reply = await bot.AskAsync(text);
        Assert.Contains(suggestion, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Something_far_from_any_command_gets_no_wild_guess()
    {
        var reply = await bot.AskAsync("when is my laptop enrolled");
        Assert.Contains("I do not know the command \"when\"", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("preview", "Usage: `preview ‹message› [nl|en]`")]
    [InlineData("preview enroll de", "Usage: `preview ‹message› [nl|en]`")]
    [InlineData("wave", "Usage: `wave start ‹wave› [now|yyyy-mm-dd]`")]
    [InlineData("wave start", "Usage: `wave start ‹wave› [now|yyyy-mm-dd]`")]
    [InlineData("wave start pilot tomorrowish", "Usage: `wave start ‹wave› [now|yyyy-mm-dd]`")]
    [InlineData("wave pause", "Usage: `wave pause ‹wave›`")]
    [InlineData("golf hervat", "Usage: `wave resume ‹wave›`")]
    [InlineData("send prepare", "Usage: `send ‹message› to ‹wave|department› now`")]
    [InlineData("send prepare to pilot", "Usage: `send ‹message› to ‹wave|department› now`")]
    [InlineData("export", "Usage: `export feedback` or `export deliveries`")]
    [InlineData("export everything", "Usage: `export feedback` or `export deliveries`")]
    public async Task A_missing_or_wrong_argument_gets_a_usage_line(string text, string usage)
    {
        var reply = await bot.AskAsync(text);
        Assert.Contains(usage, reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status pilott", "There is no wave \"pilott\". The waves are: `pilot`, `main`, `autumn`, `winter`.")]
    [InlineData("wave pause nope", "There is no wave \"nope\". The waves are: `pilot`, `main`, `autumn`, `winter`.")]
    [InlineData("schedule nope", "There is no wave \"nope\".")]
    [InlineData("preview nope", "There is no message \"nope\". The messages are: `prepare`, `enroll`.")]
    [InlineData("send nope to pilot now", "There is no message \"nope\". The messages are: `prepare`, `enroll`.")]
    [InlineData("send prepare to nope now", "There is no wave or department \"nope\". Waves: `pilot`, `main`, `autumn`, `winter`. Departments: `small`, `big`.")]
    [InlineData("feedback nope", "There is no wave or department \"nope\".")]
    public async Task An_unknown_wave_or_message_lists_the_valid_names(string text, string expected)
    {
        var reply = await bot.AskAsync(text);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_reload_reports_the_result_and_is_audited()
    {
        var reply = await bot.AskAsync("plan reload");
        Assert.Contains("Plan 'Commands test rollout' loaded: 4 waves, 2 departments", reply.Text, StringComparison.Ordinal);

        var original = await File.ReadAllTextAsync(bot.PlanPath, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(bot.PlanPath, original.Replace("timeZone: Europe/Amsterdam", "timeZone: Mars/Olympus", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            // Every lead also gets the plan-reload notice in their personal chat (PlanReloadNotifier); the answer is the reply.
            var activity = bot.Personal("herlaad", locale: "nl-NL");
            var calls = await bot.SayAsync(activity);
            var broken = new Reply(Assert.Single(calls, c => c.Path.EndsWith("/activities/" + activity["id"], StringComparison.Ordinal)));
            Assert.Contains("Het planbestand heeft 1 fout(en) en is niet geladen. Planning 'Commands test rollout' blijft van kracht.", broken.Text, StringComparison.Ordinal);
            Assert.Contains("timeZone", broken.Text, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllTextAsync(bot.PlanPath, original, TestContext.Current.CancellationToken);
        }

        var status = await bot.AskAsync("status");
        Assert.Contains("Lotte Lead: `plan reload`: failed (1 error(s))", status.Text, StringComparison.Ordinal);
        Assert.Contains("Lotte Lead: `plan reload`: done", status.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_card_verb_is_answered_without_doing_anything()
    {
        var (status, body) = await bot.InvokeAsync(bot.CardAction("explode", new JsonObject()));
        Assert.Equal(200, status);
        Assert.Contains("not supported", body!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Who is a lead (plan ids, UPNs and group through Graph, cached, fail closed) and what a non-lead sees.</summary>
public sealed class AuthorizationTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    public static TheoryData<string> LeadOnlyCommands => new()
    {
        "plan", "planning", "plan reload", "schedule", "rooster pilot", "preview prepare", "wave start pilot now", "golf pauzeer pilot",
        "wave resume pilot", "wave cancel pilot", "send prepare to pilot now", "status", "status pilot", "feedback", "export feedback",
        "exporteer leveringen", "reload", "feedback setup-list",
    };

    [Theory]
    [MemberData(nameof(LeadOnlyCommands))]
    public async Task A_non_lead_is_refused_politely_without_learning_anything_about_the_plan(string command)
    {
        var reply = await bot.AskAsync(command, MemberId);
        Assert.Contains("only available to the rollout's project leads", reply.Text, StringComparison.Ordinal);
        foreach (var secret in new[] { "Pilot", "pilot", "Commands test rollout", "Small", "prepare", "2027" })
        {
            Assert.DoesNotContain(secret, reply.Text.Replace(command, "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Null(reply.Card);

        var audit = await bot.Services.GetRequiredService<IAuditLog>().LatestAsync(1, TestContext.Current.CancellationToken);
        var entry = Assert.Single(audit);
        Assert.Equal(MemberId, entry.UserAadObjectId);
        Assert.Equal(AuditResults.Refused, entry.Result);
    }

    [Fact]
    public async Task A_non_lead_is_refused_in_a_channel_too_and_nothing_changes()
    {
        var calls = await bot.SayAsync(bot.Channel("wave cancel autumn", MemberId));
        var reply = new Reply(Assert.Single(calls));
        Assert.Contains("only available to the rollout's project leads", reply.Text, StringComparison.Ordinal);

        var status = await bot.AskAsync("status autumn");
        Assert.Contains("State: scheduled", status.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dutch_non_leads_get_the_refusal_in_Dutch()
    {
        var reply = await bot.AskAsync("golf start pilot", MemberId, "nl-NL");
        Assert.Contains("alleen beschikbaar voor de projectleiders", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_for_a_non_lead_shows_only_what_they_may_do()
    {
        var reply = await bot.AskAsync("help", MemberId);
        Assert.Contains("whoami", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("wave start", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("export", reply.Text, StringComparison.Ordinal);
        Assert.Empty(reply.Actions);

        var lead = await bot.AskAsync("help");
        Assert.Contains("wave start", lead.Text, StringComparison.Ordinal);
        Assert.Contains("export feedback|deliveries", lead.Text, StringComparison.Ordinal);
        Assert.Contains(lead.Actions, a => a["data"]!["command"]!.GetValue<string>() == "status");
    }

    [Fact]
    public async Task Unknown_text_from_a_non_lead_gets_the_general_hint_not_a_command_suggestion()
    {
        var reply = await bot.AskAsync("statsu", MemberId);
        Assert.Contains("I did not understand that", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("status", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_tells_name_object_id_and_lead_status_for_everyone()
    {
        var lead = await bot.AskAsync("whoami");
        Assert.Contains("Lotte Lead", lead.Text, StringComparison.Ordinal);
        Assert.Contains(LeadId, lead.Text, StringComparison.Ordinal);
        Assert.Contains("You are a project lead: the plan lists your object id", lead.Text, StringComparison.Ordinal);

        var member = await bot.AskAsync("wie ben ik?", MemberId, "nl-NL");
        Assert.Contains(MemberId, member.Text, StringComparison.Ordinal);
        Assert.Contains("Je bent geen projectleider", member.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lead_listed_by_UPN_is_recognised_through_Graph_with_the_apps_token()
    {
        var reply = await bot.AskAsync("whoami", UpnLeadId);
        Assert.Contains("the plan lists your account upn.lead@contoso.example", reply.Text, StringComparison.Ordinal);
        var call = bot.Graph.Calls.Last(c => c.Path.Contains(UpnLeadId, StringComparison.Ordinal));
        Assert.Equal("Bearer " + TestBot.OutboundToken, call.Authorization);

        var plan = await bot.AskAsync("plan", UpnLeadId);
        Assert.Contains("Plan: Commands test rollout", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_of_the_lead_group_is_a_lead_and_the_answer_is_cached()
    {
        var before = bot.Graph.CallsTo("POST", GroupLeadId + "/checkMemberGroups").Count;
        var reply = await bot.AskAsync("whoami", GroupLeadId);
        Assert.Contains("member of the plan's lead group", reply.Text, StringComparison.Ordinal);
        await bot.AskAsync("status", GroupLeadId);
        await bot.AskAsync("plan", GroupLeadId);
        Assert.Equal(before + 1, bot.Graph.CallsTo("POST", GroupLeadId + "/checkMemberGroups").Count);

        // After the cache time (10 minutes) Graph is asked again: a removed member loses access.
        bot.Graph.Directory.Groups[LeadGroup] = [];
        bot.Clock.Advance(TimeSpan.FromMinutes(11));
        var after = await bot.AskAsync("status", GroupLeadId);
        Assert.Contains("only available to the rollout's project leads", after.Text, StringComparison.Ordinal);
        Assert.Equal(before + 2, bot.Graph.CallsTo("POST", GroupLeadId + "/checkMemberGroups").Count);
        bot.Graph.Directory.Groups[LeadGroup] = [new FakeUser(GroupLeadId, null)];
    }
}

/// <summary>Graph refusing (no permission, outage): nobody outside the plan's id list is a lead, and they are told why.</summary>
public sealed class GraphFailureTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task When_Graph_fails_the_check_fails_closed_politely_and_is_not_cached()
    {
        bot.Graph.Faults.Down(403);
        try
        {
            var reply = await bot.AskAsync("status", GroupLeadId);
            Assert.Contains("could not check right now whether you are a project lead", reply.Text, StringComparison.Ordinal);
            var whoami = await bot.AskAsync("whoami", GroupLeadId);
            Assert.Contains("I could not check in the directory", whoami.Text, StringComparison.Ordinal);

            // Leads listed by object id need no Graph and keep working.
            var lead = await bot.AskAsync("status");
            Assert.Contains("Rollout status", lead.Text, StringComparison.Ordinal);
        }
        finally
        {
            bot.Graph.Faults.Up();
        }
        var recovered = await bot.AskAsync("status", GroupLeadId);
        Assert.Contains("Rollout status", recovered.Text, StringComparison.Ordinal);
    }
}

using System.Text.Json.Nodes;
using static TeamsRolloutBot.Tests.Commands.CommandsHarness;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>Every command typed in a team channel with the bot @mentioned: answered in that thread, as in personal chat.</summary>
public sealed class ChannelCommandTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    private async Task<Reply> AskInChannelAsync(string text, string user = LeadId)
    {
        var activity = bot.Channel(text, user);
        var call = Assert.Single(await bot.SayAsync(activity));
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString(activity["conversation"]!["id"]!.GetValue<string>())}/activities/{activity["id"]}", call.Path);
        return new Reply(call);
    }

    [Theory]
    [InlineData("help", "For project leads")]
    [InlineData("whoami", "You are a project lead")]
    [InlineData("plan", "Plan: Commands test rollout")]
    [InlineData("plan reload", "Plan 'Commands test rollout' loaded")]
    [InlineData("schedule main", "Sends of Main wave")]
    [InlineData("preview prepare", "Get ready: enrollment starts soon")]
    [InlineData("status", "Rollout status: Commands test rollout")]
    [InlineData("status main", "Wave status: Main wave")]
    [InlineData("feedback small", "Feedback on enrollment")]
    [InlineData("export feedback", "only hand over in a personal chat")]
    [InlineData("send enroll to small now", "Sending `enroll` to Small: 1 send(s) queued")]
    [InlineData("send enroll to main now", "People: exactly 120")]
    [InlineData("wave start main", "Start wave **Main wave** on 2027-08-02?")]
    public async Task Each_command_is_answered_in_the_channel_thread(string text, string expected)
    {
        var reply = await AskInChannelAsync(text);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wave_pause_resume_and_cancel_work_from_a_channel()
    {
        Assert.Contains("is paused", (await AskInChannelAsync("golf pauzeer winter")).Text, StringComparison.Ordinal);
        Assert.Contains("is resumed", (await AskInChannelAsync("wave resume winter")).Text, StringComparison.Ordinal);
        Assert.Contains("is cancelled", (await AskInChannelAsync("wave cancel winter")).Text, StringComparison.Ordinal);
        Assert.Contains("Wave **Autumn** starts on 2027-09-13.", (await AskInChannelAsync("wave start autumn 2027-09-13")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_card_in_a_channel_is_confirmed_by_its_lead_only()
    {
        var reply = await AskInChannelAsync("send prepare to main now");
        var id = reply.Actions.First(a => a["verb"]!.GetValue<string>() == "confirm")["data"]!["confirmationId"]!.GetValue<string>();
        var data = new JsonObject { ["confirmationId"] = id };
        var other = await bot.InvokeAsync(bot.CardAction("confirm", data, SecondLeadId, channel: true));
        Assert.Contains("Only Lotte Lead", other.Body!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        var before = bot.Teams.Calls.Count;
        var mine = await bot.InvokeAsync(bot.CardAction("confirm", (JsonObject)data.DeepClone(), channel: true));
        Assert.Contains("Confirmed by Lotte Lead", Reply.Visible(mine.Body!["value"]!), StringComparison.Ordinal);

        // Everyone in the channel sees the decision: the card message itself is replaced, without buttons.
        var update = Assert.Single(bot.Teams.Calls.Skip(before));
        Assert.Equal("PUT", update.Method);
        Assert.EndsWith("/activities/card-activity-1", update.Path, StringComparison.Ordinal);
        Assert.Contains("Confirmed by Lotte Lead", update.Body, StringComparison.Ordinal);
        Assert.Empty(Reply.AllActions(update.Json!["attachments"]![0]!["content"]!));
    }

    [Fact]
    public async Task An_Action_Submit_in_a_channel_needs_no_mention()
    {
        var activity = bot.Channel("", mention: false);
        activity.Remove("text");
        activity["value"] = new JsonObject { ["verb"] = "run", ["command"] = "status pilot" };
        var reply = new Reply(Assert.Single(await bot.SayAsync(activity)));
        Assert.Contains("Wave status: Pilot wave", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_group_chat_the_bot_acts_only_when_mentioned()
    {
        var quiet = bot.Channel("wave pause pilot", mention: false);
        quiet["conversation"] = new JsonObject { ["id"] = "19:group-chat@thread.v2", ["conversationType"] = "groupChat", ["isGroup"] = true, ["tenantId"] = TestBot.TenantId };
        quiet.Remove("channelData");
        quiet["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId } };
        Assert.Empty(await bot.SayAsync(quiet));

        var mentioned = bot.Channel("status pilot");
        mentioned["conversation"] = quiet["conversation"]!.DeepClone();
        mentioned["channelData"] = quiet["channelData"]!.DeepClone();
        var reply = new Reply(Assert.Single(await bot.SayAsync(mentioned)));
        Assert.Contains("State: scheduled", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_start_button_of_a_large_wave_answers_with_the_confirmation_card_in_place()
    {
        var (_, body) = await bot.InvokeAsync(bot.CardAction("run", new JsonObject { ["command"] = "wave start main" }, channel: true));
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        Assert.Contains("People: exactly 120", Reply.Visible(body["value"]!), StringComparison.Ordinal);
        Assert.Equal(["confirm", "decline"], Reply.AllActions(body["value"]!).Select(a => a["verb"]!.GetValue<string>()));
    }
}

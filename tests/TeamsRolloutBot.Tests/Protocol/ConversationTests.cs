using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>Install, help and hints as a user sees them, in personal chat and in a channel.</summary>
public sealed class ConversationTests(BotFixture fixture) : IClassFixture<BotFixture>
{
    private TestBot Bot => fixture.Bot;

    private static string AllText(ConnectorCall call) => call.Body;

    [Fact]
    public async Task Help_in_personal_chat_answers_with_a_help_card_in_the_users_language()
    {
        var before = Bot.Teams.Calls.Count;
        var activity = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "help");
        var response = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var call = Assert.Single(Bot.CallsSince(before));
        Assert.Equal("POST", call.Method);
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString("a:personal-1")}/activities/{activity["id"]}", call.Path);
        var attachment = call.Json!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Contains("What I can do", AllText(call), StringComparison.Ordinal);

        before = Bot.Teams.Calls.Count;
        var dutch = await Bot.PostAsync(TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "Hulp", locale: "nl-NL"));
        Assert.Contains("Wat ik kan", AllText(Assert.Single(Bot.CallsSince(before))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_in_a_channel_with_a_mention_is_answered_in_that_thread()
    {
        var before = Bot.Teams.Calls.Count;
        var activity = TestActivities.ChannelMessage(Bot.Teams.ServiceUrl, "help", mentionBot: true);
        var response = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(Bot.CallsSince(before));
        Assert.StartsWith($"/teams/v3/conversations/{Uri.EscapeDataString(activity["conversation"]!["id"]!.GetValue<string>())}/activities", call.Path, StringComparison.Ordinal);
        Assert.Contains("What I can do", AllText(call), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_messages_without_a_mention_get_no_answer()
    {
        var before = Bot.Teams.Calls.Count;
        var response = await Bot.PostAsync(TestActivities.ChannelMessage(Bot.Teams.ServiceUrl, "help", mentionBot: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty(Bot.CallsSince(before));
    }

    [Fact]
    public async Task Other_text_gets_a_friendly_hint_that_names_help()
    {
        var before = Bot.Teams.Calls.Count;
        var response = await Bot.PostAsync(TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "when is my laptop enrolled?"));
        var call = Assert.Single(Bot.CallsSince(before));
        var text = call.Json!["text"]!.GetValue<string>();
        Assert.Contains("did not understand", text, StringComparison.Ordinal);
        Assert.Contains("help", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_after_the_mention_is_read_case_insensitively_with_html_spaces()
    {
        var before = Bot.Teams.Calls.Count;
        var activity = TestActivities.ChannelMessage(Bot.Teams.ServiceUrl, "&nbsp;HELP&nbsp;", mentionBot: true);
        var response = await Bot.PostAsync(activity);
        Assert.Contains("What I can do", Assert.Single(Bot.CallsSince(before)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_activity_is_handled_once()
    {
        var before = Bot.Teams.Calls.Count;
        var activity = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "help");
        var first = await Bot.PostAsync(activity);
        var second = await Bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(Bot.CallsSince(before));
    }

    [Fact]
    public async Task A_typing_indicator_is_answered_without_a_reply_and_without_claiming_its_id()
    {
        var before = Bot.Teams.Calls.Count;
        var typing = TestActivities.PersonalMessage(Bot.Teams.ServiceUrl, "");
        typing["type"] = "typing";
        typing.Remove("text");
        var id = (string)typing["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(typing)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(typing)).StatusCode);
        Assert.Empty(Bot.CallsSince(before));
        // Nothing to deduplicate: the id was never claimed in the inbound activity log.
        var log = Bot.Services.GetRequiredService<IInboundActivityLog>();
        Assert.True(await log.TryClaimAsync("msteams", "a:personal-1", id, CancellationToken.None));
    }

    [Fact]
    public async Task Installing_in_a_team_stores_the_reference_and_welcomes_once()
    {
        var before = Bot.Teams.Calls.Count;
        var install = TestActivities.TeamInstall(Bot.Teams.ServiceUrl);
        var installUpdate = TestActivities.TeamInstall(Bot.Teams.ServiceUrl);
        installUpdate["type"] = "installationUpdate";
        installUpdate["action"] = "add";
        await Bot.PostAsync(install);
        await Bot.PostAsync(installUpdate);

        var call = Assert.Single(Bot.CallsSince(before));
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString(TestActivities.ChannelConversationId)}/activities", call.Path);
        Assert.Contains("Intune", call.Body, StringComparison.Ordinal);

        var store = Bot.Services.GetRequiredService<IConversationStore>();
        var stored = await store.FindAsync(TestActivities.ChannelConversationId, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal(Bot.Teams.ServiceUrl, stored.Reference.ServiceUrl);
        Assert.Equal("22222222-2222-2222-2222-222222222222", stored.Reference.TeamAadGroupId);
        Assert.True(stored.Installed);
    }

    [Fact]
    public async Task Personal_install_welcomes_and_reinstall_after_removal_welcomes_again()
    {
        var store = Bot.Services.GetRequiredService<IConversationStore>();
        await store.MarkUninstalledAsync("a:personal-1", TestContext.Current.CancellationToken);
        var before = Bot.Teams.Calls.Count;
        await Bot.PostAsync(TestActivities.PersonalInstall(Bot.Teams.ServiceUrl));
        Assert.Single(Bot.CallsSince(before));

        var remove = TestActivities.PersonalInstall(Bot.Teams.ServiceUrl);
        remove["action"] = "remove";
        await Bot.PostAsync(remove);
        var stored = await store.FindAsync("a:personal-1", TestContext.Current.CancellationToken);
        Assert.False(stored!.Installed);

        before = Bot.Teams.Calls.Count;
        await Bot.PostAsync(TestActivities.PersonalInstall(Bot.Teams.ServiceUrl));
        Assert.Single(Bot.CallsSince(before));
    }

    [Fact]
    public async Task A_welcome_that_failed_is_tried_again_on_the_next_install_event()
    {
        var store = Bot.Services.GetRequiredService<IConversationStore>();
        await store.MarkUninstalledAsync("a:personal-1", TestContext.Current.CancellationToken);
        Bot.Teams.Enqueue(403, """{"error":{"code":"BotNotInConversationRoster","message":"not installed"}}""");
        var before = Bot.Teams.Calls.Count;
        await Bot.PostAsync(TestActivities.PersonalInstall(Bot.Teams.ServiceUrl));
        await Bot.PostAsync(TestActivities.PersonalInstall(Bot.Teams.ServiceUrl));
        Assert.Equal(2, Bot.CallsSince(before).Count);
    }
}

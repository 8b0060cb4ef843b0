using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Protocol;

/// <summary>Install, help and hints as a user sees them, in personal chat and in a channel.</summary>
public sealed class ConversationTests(BotHarness bot) : IClassFixture<BotHarness>
{
    private static string AllText(ConnectorCall call) => call.Body;

    [Fact]
    public async Task Help_in_personal_chat_answers_with_a_help_card_in_the_users_language()
    {
        var before = bot.Connector.Calls.Count;
        var activity = TestActivities.PersonalMessage(bot.Connector.ServiceUrl, "help");
        using var response = await bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var call = Assert.Single(bot.CallsSince(before));
        Assert.Equal("POST", call.Method);
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString("a:personal-1")}/activities/{activity["id"]}", call.Path);
        var attachment = call.Json!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Contains("What I can do", AllText(call), StringComparison.Ordinal);

        before = bot.Connector.Calls.Count;
        using var dutch = await bot.PostAsync(TestActivities.PersonalMessage(bot.Connector.ServiceUrl, "Hulp", locale: "nl-NL"));
        Assert.Contains("Wat ik kan", AllText(Assert.Single(bot.CallsSince(before))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_in_a_channel_with_a_mention_is_answered_in_that_thread()
    {
        var before = bot.Connector.Calls.Count;
        var activity = TestActivities.ChannelMessage(bot.Connector.ServiceUrl, "help", mentionBot: true);
        using var response = await bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(bot.CallsSince(before));
        Assert.StartsWith($"/teams/v3/conversations/{Uri.EscapeDataString(activity["conversation"]!["id"]!.GetValue<string>())}/activities", call.Path, StringComparison.Ordinal);
        Assert.Contains("What I can do", AllText(call), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_messages_without_a_mention_get_no_answer()
    {
        var before = bot.Connector.Calls.Count;
        using var response = await bot.PostAsync(TestActivities.ChannelMessage(bot.Connector.ServiceUrl, "help", mentionBot: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty(bot.CallsSince(before));
    }

    [Fact]
    public async Task Other_text_gets_a_friendly_hint_that_names_help()
    {
        var before = bot.Connector.Calls.Count;
        using var response = await bot.PostAsync(TestActivities.PersonalMessage(bot.Connector.ServiceUrl, "when is my laptop enrolled?"));
        var call = Assert.Single(bot.CallsSince(before));
        var text = call.Json!["text"]!.GetValue<string>();
        Assert.Contains("did not understand", text, StringComparison.Ordinal);
        Assert.Contains("help", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_after_the_mention_is_read_case_insensitively_with_html_spaces()
    {
        var before = bot.Connector.Calls.Count;
        var activity = TestActivities.ChannelMessage(bot.Connector.ServiceUrl, "&nbsp;HELP&nbsp;", mentionBot: true);
        using var response = await bot.PostAsync(activity);
        Assert.Contains("What I can do", Assert.Single(bot.CallsSince(before)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_activity_is_handled_once()
    {
        var before = bot.Connector.Calls.Count;
        var activity = TestActivities.PersonalMessage(bot.Connector.ServiceUrl, "help");
        using var first = await bot.PostAsync(activity);
        using var second = await bot.PostAsync(activity);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(bot.CallsSince(before));
    }

    [Fact]
    public async Task Installing_in_a_team_stores_the_reference_and_welcomes_once()
    {
        var before = bot.Connector.Calls.Count;
        var install = TestActivities.TeamInstall(bot.Connector.ServiceUrl);
        var installUpdate = TestActivities.TeamInstall(bot.Connector.ServiceUrl);
        installUpdate["type"] = "installationUpdate";
        installUpdate["action"] = "add";
        using (await bot.PostAsync(install)) { }
        using (await bot.PostAsync(installUpdate)) { }

        var call = Assert.Single(bot.CallsSince(before));
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString(TestActivities.ChannelConversationId)}/activities", call.Path);
        Assert.Contains("Intune", call.Body, StringComparison.Ordinal);

        var store = bot.Factory.Services.GetRequiredService<IConversationStore>();
        var stored = await store.FindAsync(TestActivities.ChannelConversationId, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal(bot.Connector.ServiceUrl, stored.Reference.ServiceUrl);
        Assert.Equal("22222222-2222-2222-2222-222222222222", stored.Reference.TeamAadGroupId);
        Assert.True(stored.Installed);
    }

    [Fact]
    public async Task Personal_install_welcomes_and_reinstall_after_removal_welcomes_again()
    {
        var store = bot.Factory.Services.GetRequiredService<IConversationStore>();
        await store.MarkUninstalledAsync("a:personal-1", TestContext.Current.CancellationToken);
        var before = bot.Connector.Calls.Count;
        using (await bot.PostAsync(TestActivities.PersonalInstall(bot.Connector.ServiceUrl))) { }
        Assert.Single(bot.CallsSince(before));

        var remove = TestActivities.PersonalInstall(bot.Connector.ServiceUrl);
        remove["action"] = "remove";
        using (await bot.PostAsync(remove)) { }
        var stored = await store.FindAsync("a:personal-1", TestContext.Current.CancellationToken);
        Assert.False(stored!.Installed);

        before = bot.Connector.Calls.Count;
        using (await bot.PostAsync(TestActivities.PersonalInstall(bot.Connector.ServiceUrl))) { }
        Assert.Single(bot.CallsSince(before));
    }

    [Fact]
    public async Task A_welcome_that_failed_is_tried_again_on_the_next_install_event()
    {
        var store = bot.Factory.Services.GetRequiredService<IConversationStore>();
        await store.MarkUninstalledAsync("a:personal-1", TestContext.Current.CancellationToken);
        bot.Connector.Enqueue(403, """{"error":{"code":"BotNotInConversationRoster","message":"not installed"}}""");
        var before = bot.Connector.Calls.Count;
        using (await bot.PostAsync(TestActivities.PersonalInstall(bot.Connector.ServiceUrl))) { }
        using (await bot.PostAsync(TestActivities.PersonalInstall(bot.Connector.ServiceUrl))) { }
        Assert.Equal(2, bot.CallsSince(before).Count);
    }
}

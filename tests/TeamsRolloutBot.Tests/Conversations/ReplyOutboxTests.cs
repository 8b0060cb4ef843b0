using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Conversations;

/// <summary>
/// A reply the bot cannot send never holds the inbound request: Teams gets its answer at once and the reply follows
/// from the durable reply outbox, through the real /api/messages pipeline with a failing fake connector.
/// </summary>
public sealed class ReplyOutboxTests
{
    private static Task<TestBot> StartAsync(Action<TestBotBuilder>? customize = null)
    {
        var builder = TestBot.Create()
            .WithSetting("Bot:InlineReplyTimeout", "00:00:01")
            .WithSetting("Bot:ReplyRetryBaseDelay", "00:00:00.200")
            .WithSetting("Bot:ReplyPollInterval", "00:00:00.100");
        customize?.Invoke(builder);
        return builder.StartAsync();
    }

    // The old path held the request ~12 s (resilience retries) on a failing connector, or for as long as it hung. The
    // bounds below sit far under that and far over the 1 s inline limit, so a busy machine does not fail them.
    private static readonly TimeSpan HeldAtMost = TimeSpan.FromSeconds(6);

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> AskAsync(TestBot bot, string text)
    {
        // The first request of a new app pays for start-up (JIT, plan, store); a typing activity takes that cost first.
        var typing = TestActivities.PersonalMessage(bot.Teams.ServiceUrl, "");
        typing["type"] = "typing";
        typing.Remove("text");
        Assert.Equal(HttpStatusCode.OK, (await bot.PostAsync(typing)).StatusCode);
        var watch = Stopwatch.StartNew();
        var response = await bot.PostAsync(TestActivities.PersonalMessage(bot.Teams.ServiceUrl, text));
        return (response.StatusCode, watch.Elapsed);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_connector_that_fails_gets_a_quick_answer_and_the_reply_follows_from_the_outbox()
    {
        await using var bot = await StartAsync();
        // 502 for the one attempt inside the request and the first two retries (which would have held it ~12 s before).
        bot.Teams.Enqueue(502, count: 3);
        var (status, took) = await AskAsync(bot, "help");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(took < HeldAtMost, $"the request was held {took.TotalSeconds:0.0} s");
        Assert.Equal(1, await bot.Services.GetRequiredService<IReplyOutbox>().CountAsync(CancellationToken.None));

        // The reply reaches the person once the connector recovers, exactly once, and the outbox empties.
        await WaitForAsync(async () => await bot.Services.GetRequiredService<IReplyOutbox>().CountAsync(CancellationToken.None) == 0);
        var replies = bot.Teams.Calls.Where(c => c.Method == "POST" && c.Path.Contains("/activities", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, replies.Count); // 1 inline + 2 failed retries + 1 delivered
        Assert.Single(replies.Select(r => r.Body).Distinct());
        Assert.Contains("help", replies[^1].Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_connector_that_hangs_is_given_up_inside_the_request_within_the_inline_time_limit()
    {
        await using var bot = await StartAsync();
        bot.Teams.EnqueueHang(TimeSpan.FromSeconds(10));
        var (status, took) = await AskAsync(bot, "whoami");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(took < HeldAtMost, $"the request was held {took.TotalSeconds:0.0} s");
        await WaitForAsync(async () => await bot.Services.GetRequiredService<IReplyOutbox>().CountAsync(CancellationToken.None) == 0);
    }

    [Fact]
    public async Task No_connector_token_answers_the_request_and_keeps_the_reply()
    {
        await using var bot = await StartAsync(b => b.WithServices(s => s.AddSingleton<TokenCredential>(new FailingCredential())));
        var (status, took) = await AskAsync(bot, "help");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(took < HeldAtMost, $"the request was held {took.TotalSeconds:0.0} s");
        var outbox = bot.Services.GetRequiredService<IReplyOutbox>();
        Assert.Equal(1, await outbox.CountAsync(CancellationToken.None));
        Assert.DoesNotContain(bot.Teams.Calls, c => c.Path.Contains("/activities", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_to_a_conversation_that_is_gone_is_given_up_not_retried_forever()
    {
        await using var bot = await StartAsync();
        bot.Teams.Enqueue(502);
        bot.Teams.Enqueue(404, """{"error":{"code":"ConversationNotFound","message":"gone"}}""");
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(bot, "help")).Status);
        await WaitForAsync(async () => await bot.Services.GetRequiredService<IReplyOutbox>().CountAsync(CancellationToken.None) == 0);
        Assert.Equal(2, bot.Teams.Calls.Count(c => c.Path.Contains("/activities", StringComparison.Ordinal)));
    }

    private sealed class FailingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("Entra is unreachable (test)");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("Entra is unreachable (test)");
    }
}

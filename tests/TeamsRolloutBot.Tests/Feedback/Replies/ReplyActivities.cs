using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Tests.Infrastructure;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>Channel messages as Teams sends them with RSC ChannelMessage.Read.Group, and a tracked root in the hr channel.</summary>
internal static class ReplyActivities
{
    public const string Channel = "19:hr-rollout@thread.tacv2";
    public const string Team = "19:hr-team@thread.tacv2";
    public const string TeamGroup = "33333333-3333-3333-3333-333333333333";
    public const string Root = "1700000000001";

    /// <summary>Records <see cref="Root"/> as the hr post-enrollment post of the feedback test plan (team group id unknown).</summary>
    public static Task TrackAsync(FeedbackBot bot, string root = Root, string? group = null) =>
        bot.Services.GetRequiredService<SqliteThreadReplyStore>().TrackAsync(
            new ThreadRoot(root, Channel, Team, group, FeedbackBot.WaveId, "hr", FeedbackBot.MessageId, bot.Time.GetUtcNow()),
            TestContext.Current.CancellationToken);

    /// <summary>A user's message in the thread under <paramref name="root"/> (a top-level post when the id equals the root).</summary>
    public static JsonObject Message(FeedbackBot bot, string root, string id, string text, int user = 1, string type = "message",
        string? eventType = null, bool mentionBot = false)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["channelId"] = "msteams",
            ["serviceUrl"] = bot.Teams.ServiceUrl,
            ["timestamp"] = bot.Time.GetUtcNow().ToString("O"),
            ["locale"] = "nl-NL",
            ["text"] = mentionBot ? $"<at>{TestActivities.BotName}</at> {text}" : text,
            ["textFormat"] = "xml",
            ["from"] = new JsonObject { ["id"] = FeedbackBot.UserId(user), ["name"] = $"User {user}", ["aadObjectId"] = FeedbackBot.Aad(user) },
            ["recipient"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = TestActivities.BotName },
            ["conversation"] = new JsonObject
            {
                ["id"] = $"{Channel};messageid={root}",
                ["conversationType"] = "channel",
                ["isGroup"] = true,
                ["tenantId"] = TestBot.TenantId,
            },
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId },
                ["team"] = new JsonObject { ["id"] = Team, ["aadGroupId"] = TeamGroup },
                ["channel"] = new JsonObject { ["id"] = Channel },
            },
        };
        if (eventType is not null)
        {
            activity["channelData"]!["eventType"] = eventType;
        }
        if (mentionBot)
        {
            activity["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = $"<at>{TestActivities.BotName}</at>",
                ["mentioned"] = new JsonObject { ["id"] = TestActivities.BotId, ["name"] = TestActivities.BotName },
            });
        }
        return activity;
    }
}

/// <summary>Keeps every log record the app writes, to prove what is not logged.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, string Message)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, Records);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<(string, string)> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue((category, formatter(state, exception)));
    }
}

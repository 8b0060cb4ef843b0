using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Tests.Kit;

/// <summary>Activities shaped like the ones Teams sends, for personal chats and team channels.</summary>
public static class TestActivities
{
    public const string BotId = "28:" + TestBot.AppId;
    public const string BotName = "Rollout";
    public const string UserId = "29:user-1";
    public const string UserAadId = "00000000-0000-0000-0000-0000000000u1";
    public const string ChannelConversationId = "19:general@thread.tacv2";

    private static int _ids;

    public static string NextId() => Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    public static JsonObject PersonalMessage(string serviceUrl, string text, string? locale = "en-US", string? id = null) => new()
    {
        ["type"] = "message",
        ["id"] = id ?? NextId(),
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["locale"] = locale,
        ["text"] = text,
        ["from"] = new JsonObject { ["id"] = UserId, ["name"] = "Anna de Vries", ["aadObjectId"] = UserAadId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
        ["conversation"] = new JsonObject { ["id"] = "a:personal-1", ["conversationType"] = "personal", ["tenantId"] = TestBot.TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId } },
    };

    public static JsonObject ChannelMessage(string serviceUrl, string text, bool mentionBot, string? id = null)
    {
        var activityId = id ?? NextId();
        var mention = $"<at>{BotName}</at>";
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = activityId,
            ["channelId"] = "msteams",
            ["serviceUrl"] = serviceUrl,
            ["locale"] = "en-US",
            ["text"] = mentionBot ? $"{mention} {text}" : text,
            ["from"] = new JsonObject { ["id"] = UserId, ["name"] = "Anna de Vries", ["aadObjectId"] = UserAadId },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
            ["conversation"] = new JsonObject
            {
                ["id"] = $"{ChannelConversationId};messageid={activityId}",
                ["conversationType"] = "channel",
                ["isGroup"] = true,
                ["tenantId"] = TestBot.TenantId,
            },
            ["channelData"] = new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId },
                ["team"] = new JsonObject { ["id"] = ChannelConversationId, ["aadGroupId"] = "22222222-2222-2222-2222-222222222222" },
                ["channel"] = new JsonObject { ["id"] = ChannelConversationId },
            },
        };
        if (mentionBot)
        {
            activity["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = mention,
                ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
            });
        }
        return activity;
    }

    public static JsonObject PersonalInstall(string serviceUrl, string? id = null) => new()
    {
        ["type"] = "installationUpdate",
        ["action"] = "add",
        ["id"] = id ?? NextId(),
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["from"] = new JsonObject { ["id"] = UserId, ["aadObjectId"] = UserAadId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
        ["conversation"] = new JsonObject { ["id"] = "a:personal-1", ["conversationType"] = "personal", ["tenantId"] = TestBot.TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId } },
    };

    public static JsonObject TeamInstall(string serviceUrl, string? id = null) => new()
    {
        ["type"] = "conversationUpdate",
        ["id"] = id ?? NextId(),
        ["channelId"] = "msteams",
        ["serviceUrl"] = serviceUrl,
        ["from"] = new JsonObject { ["id"] = UserId, ["aadObjectId"] = UserAadId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
        ["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId }),
        ["conversation"] = new JsonObject { ["id"] = ChannelConversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = TestBot.TenantId },
        ["channelData"] = new JsonObject
        {
            ["eventType"] = "teamMemberAdded",
            ["tenant"] = new JsonObject { ["id"] = TestBot.TenantId },
            ["team"] = new JsonObject { ["id"] = ChannelConversationId, ["name"] = "IT", ["aadGroupId"] = "22222222-2222-2222-2222-222222222222" },
        },
    };
}

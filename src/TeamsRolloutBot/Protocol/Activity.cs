using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

/// <summary>Activity types this bot distinguishes; any other type is accepted and ignored.</summary>
public static class ActivityTypes
{
    public const string Message = "message";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string Invoke = "invoke";
    public const string MessageReaction = "messageReaction";
    public const string Typing = "typing";
}

/// <summary>A Bot Framework activity: the fields Teams sends that this bot uses; everything else is kept in <see cref="Extra"/>.</summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public DateTimeOffset? LocalTimestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public string? Text { get; set; }
    public string? TextFormat { get; set; }
    public string? Summary { get; set; }
    public string? Locale { get; set; }
    public string? ReplyToId { get; set; }
    public string? Name { get; set; }
    public JsonElement? Value { get; set; }
    public string? Action { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public List<ChannelAccount>? MembersRemoved { get; set; }
    public List<MessageReaction>? ReactionsAdded { get; set; }
    public List<MessageReaction>? ReactionsRemoved { get; set; }
    public List<Entity>? Entities { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public TeamsChannelData? ChannelData { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The tenant of the conversation: <c>conversation.tenantId</c>, else <c>channelData.tenant.id</c>.</summary>
    [JsonIgnore]
    public string? TenantId => Conversation?.TenantId ?? ChannelData?.Tenant?.Id;

    /// <summary>A plain message activity with text.</summary>
    public static Activity CreateMessage(string text) => new() { Type = ActivityTypes.Message, Text = text };

    /// <summary>A message activity carrying one Adaptive Card.</summary>
    public static Activity CreateCard(JsonObject card, string? summary = null) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [new Attachment { ContentType = Attachment.AdaptiveCardContentType, Content = card }],
    };
}

/// <summary>A user or bot in a conversation (<c>29:</c> user ids, <c>28:</c> bot ids).</summary>
public sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Role { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The conversation an activity belongs to: personal, groupChat or channel.</summary>
public sealed class ConversationAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public bool? IsGroup { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An entity attached to an activity; the bot reads mentions and the client's locale.</summary>
public sealed class Entity
{
    public string? Type { get; set; }
    public ChannelAccount? Mentioned { get; set; }
    public string? Text { get; set; }
    public string? Locale { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A reaction (like, heart, ...) on a message.</summary>
public sealed class MessageReaction
{
    public string? Type { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An attachment; the bot sends Adaptive Cards.</summary>
public sealed class Attachment
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public string? ContentType { get; set; }
    public JsonNode? Content { get; set; }
    public string? ContentUrl { get; set; }
    public string? Name { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Teams' extras on an activity: tenant, team, channel and the conversationUpdate event type.</summary>
public sealed class TeamsChannelData
{
    public TenantInfo? Tenant { get; set; }
    public TeamInfo? Team { get; set; }
    public ChannelInfo? Channel { get; set; }
    public string? EventType { get; set; }
    public NotificationInfo? Notification { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The Entra tenant of a Teams activity.</summary>
public sealed class TenantInfo
{
    public string? Id { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A team: <c>id</c> is the General channel's thread id, <c>aadGroupId</c> the Microsoft 365 group id.</summary>
public sealed class TeamInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadGroupId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A channel of a team.</summary>
public sealed class ChannelInfo
{
    public string? Id { get; set; }
    public string? Name { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Outbound notification settings (alert in the activity feed).</summary>
public sealed class NotificationInfo
{
    public bool? Alert { get; set; }
}

/// <summary>Body of <c>POST v3/conversations</c>: a 1:1 chat or a new thread in a channel.</summary>
public sealed class ConversationParameters
{
    public bool? IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public List<ChannelAccount>? Members { get; set; }
    public string? TenantId { get; set; }
    public string? TopicName { get; set; }
    public TeamsChannelData? ChannelData { get; set; }
    public Activity? Activity { get; set; }
}

/// <summary>The connector's answer to a send, reply or update: the activity id.</summary>
public sealed class ResourceResponse
{
    public string? Id { get; set; }
}

/// <summary>The connector's answer to create-conversation.</summary>
public sealed class ConversationResourceResponse
{
    public string? Id { get; set; }
    public string? ActivityId { get; set; }
    public string? ServiceUrl { get; set; }
}

/// <summary>A Teams member as returned by the paged members call.</summary>
public sealed class TeamsChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
    public string? Email { get; set; }
    public string? UserPrincipalName { get; set; }
    public string? TenantId { get; set; }
    public string? UserRole { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One page of conversation members.</summary>
public sealed class PagedMembersResult
{
    public List<TeamsChannelAccount>? Members { get; set; }
    public string? ContinuationToken { get; set; }
}

/// <summary>The body of an <c>adaptiveCard/action</c> invoke response.</summary>
public sealed class AdaptiveCardInvokeResponse
{
    public int StatusCode { get; set; }
    public string? Type { get; set; }
    public JsonNode? Value { get; set; }

    public static AdaptiveCardInvokeResponse Card(JsonObject card) =>
        new() { StatusCode = 200, Type = Attachment.AdaptiveCardContentType, Value = card };

    public static AdaptiveCardInvokeResponse Message(string text) =>
        new() { StatusCode = 200, Type = "application/vnd.microsoft.activity.message", Value = JsonValue.Create(text) };

    public static AdaptiveCardInvokeResponse Error(int statusCode, string code, string message) => new()
    {
        StatusCode = statusCode,
        Type = "application/vnd.microsoft.error",
        Value = new JsonObject { ["code"] = code, ["message"] = message },
    };
}

/// <summary>What the HTTP response to an invoke activity carries: a status and an optional JSON body.</summary>
public sealed record InvokeResponse(int Status, JsonNode? Body = null)
{
    /// <summary>An <c>adaptiveCard/action</c>-style response with the HTTP status of its <c>statusCode</c>.</summary>
    public static InvokeResponse From(AdaptiveCardInvokeResponse response) =>
        new(response.StatusCode, JsonSerializer.SerializeToNode(response, ProtocolJsonContext.Default.AdaptiveCardInvokeResponse));

    /// <summary>
    /// HTTP 400 for an invoke whose <c>value</c> lacks a field or has it in the wrong JSON type, with Bot Builder's error
    /// body (<c>code</c> BadRequest, a message naming the field), so a broken payload never becomes an exception.
    /// </summary>
    public static InvokeResponse BadRequest(string message) => From(AdaptiveCardInvokeResponse.Error(400, "BadRequest", message));
}

/// <summary>Where to reach a conversation later (proactive messages).</summary>
public sealed record ConversationReference(
    string ChannelId,
    string ServiceUrl,
    string ConversationId,
    string? ConversationType,
    string? TenantId,
    string? BotId,
    string? UserId,
    string? UserAadObjectId,
    string? TeamId,
    string? TeamAadGroupId,
    string? ChannelIdInTeam,
    string? Locale)
{
    /// <summary>The reference of the conversation an inbound activity came from.</summary>
    public static ConversationReference FromActivity(Activity activity)
    {
        var isPersonal = activity.Conversation?.ConversationType is null or "personal";
        return new ConversationReference(
            activity.ChannelId ?? "msteams",
            activity.ServiceUrl ?? "",
            activity.Conversation?.Id ?? "",
            activity.Conversation?.ConversationType ?? "personal",
            activity.TenantId,
            activity.Recipient?.Id,
            isPersonal ? activity.From?.Id : null,
            isPersonal ? activity.From?.AadObjectId : null,
            activity.ChannelData?.Team?.Id,
            activity.ChannelData?.Team?.AadGroupId,
            activity.ChannelData?.Channel?.Id,
            activity.GetLocale());
    }
}

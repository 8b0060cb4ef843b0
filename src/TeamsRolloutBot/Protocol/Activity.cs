using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Protocol;

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

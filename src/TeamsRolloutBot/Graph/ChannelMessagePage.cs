using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Graph;

/// <summary>One page of chatMessages as Graph sent them, and the link to the next page, if any.</summary>
public sealed record ChannelMessagePage(IReadOnlyList<JsonObject> Messages, string? NextLink);

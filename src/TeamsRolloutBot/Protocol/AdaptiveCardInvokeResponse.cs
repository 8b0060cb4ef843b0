using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Protocol;

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

using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Protocol;

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

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TeamsRolloutBot.Commands;

// The JSON the lead cards' buttons send back, read with CommandsJsonContext. Only the fields the commands use are mapped.

/// <summary>The value of an <c>adaptiveCard/action</c> invoke: <c>{ action: { verb, data } }</c>.</summary>
internal sealed record CardActionValue(CardAction? Action);

/// <summary>An Action.Execute: its verb and data (Adaptive Cards allow any JSON as data; only an object carries fields).</summary>
internal sealed record CardAction(string? Verb, JsonElement? Data);

/// <summary>An Action.Submit fallback (old clients): a message value with the verb next to the data.</summary>
internal sealed record SubmitValue(string? Verb);

/// <summary>Data of a <c>run</c> button: the command it runs as the clicking lead.</summary>
internal sealed record RunData(string? Command);

/// <summary>Data of a Confirm or Cancel button.</summary>
internal sealed record ConfirmationData(string? ConfirmationId);

/// <summary>Data of the buttons of the delivery progress card (Cards template <c>status</c>).</summary>
internal sealed record WaveButtonData(string? WaveId);

/// <summary>Reads invoke payloads: a field that is absent or not of its JSON type reads as null.</summary>
internal static class InvokePayload
{
    /// <summary>The payload in <paramref name="json"/>, or null when it is no object or a mapped field has the wrong JSON type.</summary>
    public static T? Read<T>(JsonElement? json, JsonTypeInfo<T> type) where T : class
    {
        if (json is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }
        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The verb and data of an Action.Execute invoke (<c>value.action</c>), or the path of the field that is missing or not
    /// of its JSON type: without them there is nothing to run (Bot Builder answers 400 too).
    /// </summary>
    public static (string Verb, JsonElement Data, string? Missing) ReadAction(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } value)
        {
            return ("", default, "value");
        }
        CardActionValue? body;
        try
        {
            body = value.Deserialize(CommandsJsonContext.Default.CardActionValue);
        }
        catch (JsonException ex)
        {
            return ("", default, ex.Path is { } path && path.StartsWith("$.action.verb", StringComparison.Ordinal) ? "value.action.verb" : "value.action");
        }
        if (body?.Action is not { } action)
        {
            return ("", default, "value.action");
        }
        if (action.Verb is not { } verb)
        {
            return ("", default, "value.action.verb");
        }
        return (verb, action.Data is { ValueKind: JsonValueKind.Object } data ? data : default, null);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
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

/// <summary>Data of the Retry button of a failures card: what the card listed and the id of the failures it offered to retry.</summary>
internal sealed record RetryData(string? Scope, string? RetryId);
/// <summary>The data of the buttons of the leads' "changed after send" card: the message and the notice.</summary>
internal sealed record CorrectionData(string? MessageId, string? NoticeKey);

/// <summary>
/// The value of a <c>fileConsent/invoke</c>: <c>{ action: accept|decline, context: { kind }, uploadInfo: { ... } }</c>. Each
/// field of another JSON type reads as null, so the refusal names that field (<c>value.context.kind</c>), not the whole value.
/// </summary>
internal sealed record FileConsentValue(
    [property: JsonConverter(typeof(LenientString))] string? Action,
    [property: JsonConverter(typeof(LenientObject<FileConsentContext>))] FileConsentContext? Context,
    [property: JsonConverter(typeof(LenientObject<FileUploadInfo>))] FileUploadInfo? UploadInfo);

/// <summary>The context the export's file consent card carries back: which export was accepted or declined.</summary>
internal sealed record FileConsentContext([property: JsonConverter(typeof(LenientString))] string? Kind);

/// <summary>Where Teams created the file in the lead's OneDrive, and what to show on the file card.</summary>
internal sealed record FileUploadInfo(
    [property: JsonConverter(typeof(LenientString))] string? UploadUrl,
    [property: JsonConverter(typeof(LenientString))] string? Name,
    [property: JsonConverter(typeof(LenientString))] string? ContentUrl,
    [property: JsonConverter(typeof(LenientString))] string? UniqueId,
    [property: JsonConverter(typeof(LenientString))] string? FileType);

/// <summary>A string field that reads as null when the JSON holds another type (the caller then names the field).</summary>
internal sealed class LenientString : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>An object field that reads as null when the JSON holds another type; its own fields are read as usual.</summary>
internal sealed class LenientObject<T> : JsonConverter<T?> where T : class
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value!, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
}

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

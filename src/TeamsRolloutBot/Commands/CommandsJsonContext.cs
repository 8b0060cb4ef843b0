using System.Text.Json.Serialization;

namespace TeamsRolloutBot.Commands;

/// <summary>Source-generated System.Text.Json metadata for the invoke payloads of the lead cards (names as sent, case-sensitive).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CardActionValue))]
[JsonSerializable(typeof(SubmitValue))]
[JsonSerializable(typeof(RunData))]
[JsonSerializable(typeof(ConfirmationData))]
[JsonSerializable(typeof(WaveButtonData))]
[JsonSerializable(typeof(RetryData))]
[JsonSerializable(typeof(CorrectionData))]
[JsonSerializable(typeof(FileConsentValue))]
internal sealed partial class CommandsJsonContext : JsonSerializerContext;

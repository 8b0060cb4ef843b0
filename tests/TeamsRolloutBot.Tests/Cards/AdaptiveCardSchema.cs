using Json.Schema;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// The official Adaptive Card 1.5 schema (schemas/1.5.0/adaptive-card.json of microsoft/AdaptiveCards), read from
/// ADAPTIVE_CARD_SCHEMA or from ../shared/reference/adaptive-card-1.5.schema.json beside the repository. CI has the
/// file, so a missing file fails the tests that need it (a schema test that cannot run is a failure, never a skip).
/// </summary>
internal static class AdaptiveCardSchema
{
    private static readonly string[] Candidates =
    [
        Environment.GetEnvironmentVariable("ADAPTIVE_CARD_SCHEMA") ?? "",
        Path.Combine(RepoPaths.Root, "..", "shared", "reference", "adaptive-card-1.5.schema.json"),
    ];

    private static readonly Lazy<JsonSchema> Loaded = new(() =>
    {
        var path = Candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p))
            ?? throw new FileNotFoundException(
                "The official Adaptive Card 1.5 schema is missing: expected ../shared/reference/adaptive-card-1.5.schema.json beside the repository "
                + $"({Path.GetFullPath(Candidates[1])}) or a path in ADAPTIVE_CARD_SCHEMA.");
        return JsonSchema.FromText(File.ReadAllText(path));
    });

    /// <summary>The parsed schema; throws <see cref="FileNotFoundException"/> naming the expected path when the file is missing.</summary>
    public static JsonSchema Schema => Loaded.Value;
}

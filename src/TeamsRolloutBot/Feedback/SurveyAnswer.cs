using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Feedback;

/// <summary>One employee's valid answers to the post-enrollment survey (input ids and values as in docs/cards.md).</summary>
public sealed record SurveyAnswer(
    int Rating,
    string Success,
    string Platform,
    string? Duration,
    IReadOnlyList<string> Problems,
    string? Comment,
    bool Consent)
{
    public static readonly IReadOnlyList<string> SuccessValues = ["yes", "partly", "no"];
    public static readonly IReadOnlyList<string> PlatformValues = ["windows", "ios", "android", "macos", "other"];
    public static readonly IReadOnlyList<string> DurationValues = ["under15", "15to30", "30to60", "over60"];
    public static readonly IReadOnlyList<string> ProblemValues = ["signin", "instructions", "apps", "slow", "other"];

    /// <summary>The answers as the survey cards' <c>answers</c> data (strings, problems comma-separated).</summary>
    public JsonObject ToCardValues() => new()
    {
        ["rating"] = Rating.ToString(CultureInfo.InvariantCulture),
        ["success"] = Success,
        ["platform"] = Platform,
        ["duration"] = Duration ?? "",
        ["problems"] = string.Join(",", Problems),
        ["comment"] = Comment ?? "",
        ["consent"] = Consent ? "true" : "false",
    };

    /// <summary>A canonical JSON form: two submissions with the same answers give the same text.</summary>
    public string ToCanonicalJson() => new JsonObject
    {
        ["rating"] = Rating,
        ["success"] = Success,
        ["platform"] = Platform,
        ["duration"] = Duration,
        ["problems"] = new JsonArray([.. Problems.Select(p => (JsonNode?)p)]),
        ["comment"] = Comment,
        ["consent"] = Consent,
    }.ToJsonString();

    /// <summary>Reads the canonical JSON form back.</summary>
    public static SurveyAnswer FromCanonicalJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        return new SurveyAnswer(
            o["rating"]!.GetValue<int>(),
            o["success"]!.GetValue<string>(),
            o["platform"]!.GetValue<string>(),
            o["duration"]?.GetValue<string>(),
            [.. o["problems"]!.AsArray().Select(p => p!.GetValue<string>())],
            o["comment"]?.GetValue<string>(),
            o["consent"]!.GetValue<bool>());
    }
}

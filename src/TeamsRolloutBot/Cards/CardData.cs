using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// Builds the data object <see cref="CardRenderer.Render"/> takes, from plain plan values. Names may be plain
/// strings or localized texts ({ "nl": "..", "en": ".." } as <see cref="JsonNode"/>); <see cref="Parameters"/> is the
/// message's free-form parameters as written in the plan (see docs/cards.md for what each template reads).
/// </summary>
public sealed record CardData
{
    public required JsonNode RolloutName { get; init; }
    /// <summary>The plan's default language: used when a localized text lacks the card's language.</summary>
    public string? DefaultLanguage { get; init; }
    /// <summary>The plan's IANA time zone, used to show instants (status times) in local time.</summary>
    public string? TimeZone { get; init; }
    public string? WaveId { get; init; }
    public JsonNode? WaveName { get; init; }
    public string? DepartmentId { get; init; }
    public JsonNode? DepartmentName { get; init; }
    public string? MessageId { get; init; }
    public string? Phase { get; init; }
    public DateTimeOffset? SendAt { get; init; }
    public JsonNode? ContactName { get; init; }
    public string? ContactEmail { get; init; }
    public string? ContactUrl { get; init; }
    public JsonNode? Parameters { get; init; }
    /// <summary>A user's earlier survey answers (survey and survey-thanks cards).</summary>
    public JsonNode? Answers { get; init; }
    /// <summary>The Teams user ids (<c>29:…</c> MRIs) that get the card's per-user refresh (Universal Actions; at most 60).</summary>
    public IReadOnlyList<string>? RecipientUserIds { get; init; }

    public JsonObject ToJson()
    {
        var data = new JsonObject
        {
            ["rollout"] = new JsonObject { ["name"] = RolloutName.DeepClone() },
        };
        void Set(string key, JsonNode? value)
        {
            if (value is not null) data[key] = value;
        }
        Set("defaultLanguage", DefaultLanguage);
        Set("timeZone", TimeZone);
        Set("wave", Object(("id", WaveId), ("name", WaveName?.DeepClone())));
        Set("department", Object(("id", DepartmentId), ("name", DepartmentName?.DeepClone())));
        Set("message", Object(("id", MessageId), ("phase", Phase),
            ("sendAt", SendAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))));
        Set("contact", Object(("name", ContactName?.DeepClone()), ("email", ContactEmail), ("url", ContactUrl)));
        Set("parameters", Parameters?.DeepClone());
        Set("answers", Answers?.DeepClone());
        Set("recipient", RecipientUserIds is null ? null
            : new JsonObject { ["userIds"] = new JsonArray([.. RecipientUserIds.Select(id => (JsonNode?)id)]) });
        return data;
    }

    private static JsonObject? Object(params (string Key, JsonNode? Value)[] fields)
    {
        var present = fields.Where(f => f.Value is not null).ToList();
        if (present.Count == 0) return null;
        var o = new JsonObject();
        foreach (var (key, value) in present) o[key] = value;
        return o;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// TEMPORARY GLUE until the plan feature's C# model is merged: reads a plan YAML file as plain JSON and builds
/// <see cref="CardData"/> for one of its messages. The lead replaces this with the plan model (a few lines in
/// <see cref="CardsCli"/>); nothing else depends on it.
/// </summary>
internal static partial class TemporaryPlanGlue
{
    /// <summary>One plan message placed in a wave and department, ready to render.</summary>
    internal sealed record PlanMessage(string MessageId, string TemplateId, string WaveId, string DepartmentId, CardData Data);

    public static JsonNode? LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        return ParseYaml(reader);
    }

    public static JsonNode? ParseYaml(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    private static JsonValue? Plain(string text) => text switch
    {
        "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when IntegerPattern().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
        _ when DecimalPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(text),
    };

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^-?[0-9]+\.[0-9]+$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^(\d+)([dw])$")]
    private static partial Regex OffsetPattern();

    /// <summary>Every message of the plan in every wave and department it goes to.</summary>
    public static IEnumerable<PlanMessage> AllMessages(JsonNode plan)
    {
        foreach (var wave in (plan["waves"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var message in MessagesOf(plan, wave))
            {
                foreach (var departmentId in DepartmentsOf(plan, wave))
                    yield return Build(plan, wave, message, departmentId);
            }
        }
    }

    /// <summary>Finds a message by id in its first wave and department, or the given ones; null when it does not exist.</summary>
    public static PlanMessage? Find(JsonNode plan, string messageId, string? waveId = null, string? departmentId = null) =>
        AllMessages(plan).FirstOrDefault(m => m.MessageId == messageId
            && (waveId is null || m.WaveId == waveId) && (departmentId is null || m.DepartmentId == departmentId));

    public static IEnumerable<string> MessageIds(JsonNode plan) => AllMessages(plan).Select(m => m.MessageId).Distinct();

    private static IEnumerable<JsonObject> MessagesOf(JsonNode plan, JsonObject wave) =>
        (wave["messages"] is JsonArray own && own.Count > 0 ? own : plan["messages"] as JsonArray ?? []).OfType<JsonObject>();

    private static IEnumerable<string> DepartmentsOf(JsonNode plan, JsonObject wave) =>
        wave["departments"] is JsonArray ids
            ? ids.Select(i => i!.GetValue<string>())
            : (plan["departments"] as JsonArray ?? []).Select(d => d!["id"]!.GetValue<string>());

    private static PlanMessage Build(JsonNode plan, JsonObject wave, JsonObject message, string departmentId)
    {
        var department = (plan["departments"] as JsonArray ?? []).FirstOrDefault(d => d?["id"]?.GetValue<string>() == departmentId);
        var contact = plan["contact"];
        return new PlanMessage(
            message["id"]!.GetValue<string>(),
            message["template"]!.GetValue<string>(),
            wave["id"]!.GetValue<string>(),
            departmentId,
            new CardData
            {
                RolloutName = plan["rollout"]?.DeepClone() ?? "",
                DefaultLanguage = plan["defaultLanguage"]?.GetValue<string>(),
                TimeZone = plan["timeZone"]?.GetValue<string>(),
                WaveId = wave["id"]!.GetValue<string>(),
                WaveName = wave["name"]?.DeepClone(),
                DepartmentId = departmentId,
                DepartmentName = department?["name"]?.DeepClone(),
                MessageId = message["id"]!.GetValue<string>(),
                Phase = message["phase"]?.GetValue<string>(),
                SendAt = SendAt(wave, message),
                ContactName = contact?["name"]?.DeepClone(),
                ContactEmail = contact?["email"]?.GetValue<string>(),
                ContactUrl = contact?["url"]?.GetValue<string>(),
                Parameters = message["parameters"]?.DeepClone(),
            });
    }

    private static DateTimeOffset? SendAt(JsonObject wave, JsonObject message)
    {
        if (wave["start"]?.GetValue<string>() is not { } start
            || !DateOnly.TryParse(start, CultureInfo.InvariantCulture, out var date)) return null;
        var offset = OffsetPattern().Match(message["offset"]?.GetValue<string>() ?? "0d");
        var days = offset.Success ? int.Parse(offset.Groups[1].Value, CultureInfo.InvariantCulture) * (offset.Groups[2].Value == "w" ? 7 : 1) : 0;
        var time = TimeOnly.TryParse(message["time"]?.GetValue<string>() ?? "09:00", CultureInfo.InvariantCulture, out var t) ? t : new TimeOnly(9, 0);
        return new DateTimeOffset(date.AddDays(days).ToDateTime(time), TimeSpan.Zero);
    }

    /// <summary>Example data for the bot's own cards (welcome, help, status, survey-thanks), using the plan's names.</summary>
    public static CardData SampleBotCard(JsonNode plan, string templateId)
    {
        var wave = (plan["waves"] as JsonArray)?.OfType<JsonObject>().Skip(1).FirstOrDefault()
            ?? (plan["waves"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var baseData = wave is null ? null : AllMessages(plan).FirstOrDefault(m => m.WaveId == wave["id"]!.GetValue<string>())?.Data;
        var data = baseData ?? new CardData { RolloutName = plan["rollout"]?.DeepClone() ?? "" };
        // Example numbers in proportion to the wave's expected size: 62% sent, 1 in 70 failed.
        var waveDepartments = wave is null ? [] : DepartmentsOf(plan, wave).ToHashSet();
        var total = (plan["departments"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(d => waveDepartments.Contains(d["id"]!.GetValue<string>()))
            .Sum(d => d["expectedSize"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0);
        if (total == 0) total = 100;
        var waveStart = wave?["start"]?.GetValue<string>() ?? "2027-07-05";
        return templateId switch
        {
            CardTemplateIds.Status => data with
            {
                Parameters = new JsonObject
                {
                    ["total"] = total, ["sent"] = total * 62 / 100, ["delivered"] = total * 62 / 100 - total / 70,
                    ["failed"] = total / 70, ["pending"] = total - total * 62 / 100,
                    ["ratePerMinute"] = 42.5, ["eta"] = $"{waveStart}T10:18:00+02:00", ["updatedAt"] = $"{waveStart}T09:48:00+02:00",
                    ["paused"] = false,
                },
            },
            CardTemplateIds.Help => data with { Parameters = new JsonObject { ["isLead"] = true } },
            CardTemplateIds.SurveyThanks or CardTemplateIds.Survey => data with
            {
                Parameters = new JsonObject { ["survey"] = "intune-enrollment" },
                Answers = new JsonObject
                {
                    ["rating"] = "4", ["success"] = "partly", ["platform"] = "ios", ["duration"] = "15to30",
                    ["problems"] = new JsonArray("signin", "apps"), ["comment"] = "Mail took a while to appear.", ["consent"] = "true",
                },
                RecipientUserIds = ["00000000-0000-0000-0000-000000000001"],
            },
            CardTemplateIds.Reminder => data with
            {
                Parameters = new JsonObject { ["deadline"] = "2027-08-27", ["link"] = new JsonObject { ["url"] = "https://contoso.example/intune-faq" } },
            },
            _ => data with { Parameters = null },
        };
    }
}

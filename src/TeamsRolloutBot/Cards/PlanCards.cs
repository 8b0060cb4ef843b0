using System.Text.Json.Nodes;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Cards;

/// <summary>The card data of plan messages: one message in one wave for one department, with its planned send time.</summary>
public static class PlanCards
{
    /// <summary>One plan message placed in a wave and department, ready to render.</summary>
    public sealed record Message(string MessageId, string TemplateId, string WaveId, string DepartmentId, CardData Data);

    /// <summary>Every message of the plan in every wave and department it goes to, in schedule order.</summary>
    public static IEnumerable<Message> AllMessages(RolloutPlan plan) =>
        ScheduleExpander.Expand(plan)
            .DistinctBy(s => (s.WaveId, s.MessageId, s.DepartmentId))
            .Select(s => new Message(s.MessageId, s.Message.Template, s.WaveId, s.DepartmentId, ForSend(plan, s)));

    /// <summary>A message by id in its first wave and department, or the given ones; null when it does not exist.</summary>
    public static Message? Find(RolloutPlan plan, string messageId, string? waveId = null, string? departmentId = null) =>
        AllMessages(plan).FirstOrDefault(m => m.MessageId == messageId
            && (waveId is null || m.WaveId == waveId) && (departmentId is null || m.DepartmentId == departmentId));

    /// <summary>The distinct message ids of the plan.</summary>
    public static IEnumerable<string> MessageIds(RolloutPlan plan) =>
        plan.Waves.SelectMany(w => w.EffectiveMessages).Select(m => m.Id).Distinct();

    /// <summary>The card data of one scheduled send.</summary>
    public static CardData ForSend(RolloutPlan plan, ScheduledSend send) => Base(plan) with
    {
        WaveId = send.WaveId,
        WaveName = Localized(send.Wave.Name),
        DepartmentId = send.DepartmentId,
        DepartmentName = Localized(send.Department.Name),
        MessageId = send.MessageId,
        Phase = PhaseName(send.Message.Phase),
        SendAt = send.Local,
        Parameters = WithTexts(send.Message),
    };

    /// <summary>The data every card of the plan shares: rollout name, languages, time zone, contact.</summary>
    public static CardData Base(RolloutPlan plan) => new()
    {
        RolloutName = plan.Name,
        DefaultLanguage = plan.DefaultLanguage,
        TimeZone = plan.TimeZoneId,
        ContactName = plan.Contact?.Name,
        ContactEmail = plan.Contact?.Email,
        ContactUrl = plan.Contact?.Url,
    };

    /// <summary>Example data for the bot's own cards (welcome, help, status, survey-thanks), with the plan's names: for previews and screenshots.</summary>
    public static CardData Example(RolloutPlan plan, string templateId)
    {
        var wave = plan.Waves.Count > 1 ? plan.Waves[1] : plan.Waves.Count == 1 ? plan.Waves[0] : null;
        var data = (wave is null ? null : AllMessages(plan).FirstOrDefault(m => m.WaveId == wave.Id)?.Data) ?? Base(plan);
        // Example numbers in proportion to the wave's expected size: 62% sent, 1 in 70 failed.
        var total = wave is null ? 0 : wave.DepartmentIds.Sum(id => plan.FindDepartment(id)?.ExpectedSize ?? 0);
        if (total == 0) total = 100;
        var waveStart = (wave?.Start ?? new DateOnly(2027, 7, 5)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
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

    /// <summary>A plan text as the { "nl": .., "en": .. } object the renderer resolves.</summary>
    public static JsonNode Localized(LocalizedText text) =>
        new JsonObject(text.Values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    /// <summary>The plan's phase name as written in YAML (pre-enrollment, post-enrollment, ...).</summary>
    public static string PhaseName(MessagePhase phase) => phase switch
    {
        MessagePhase.Introduction => "introduction",
        MessagePhase.PreEnrollment => "pre-enrollment",
        MessagePhase.Enrollment => "enrollment",
        MessagePhase.PostEnrollment => "post-enrollment",
        _ => "reminder",
    };

    private static JsonObject WithTexts(PlanMessage message)
    {
        var parameters = (JsonObject)message.Parameters.DeepClone();
        if (message.Texts.Count > 0 && !parameters.ContainsKey("texts"))
        {
            parameters["texts"] = new JsonObject(message.Texts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Localized(kv.Value))));
        }
        return parameters;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// Computes each template's "view": the values a template binds that need logic (defaults from the strings,
/// plan overrides, formatted dates and numbers, platform steps). Templates stay free of logic this way.
/// </summary>
internal static class CardViews
{
    private static readonly string[] PlatformOrder = ["windows", "ios", "android", "macos"];

    public static void FillDefaults(JsonObject root, JsonObject strings)
    {
        foreach (var name in new[] { "rollout", "wave", "department", "message" })
        {
            root[name] = root[name] switch
            {
                JsonObject o => o,
                JsonValue v when v.TryGetValue<string>(out var s) => new JsonObject { ["name"] = s },
                _ => new JsonObject(),
            };
            if (name != "message" && Str(root[name]!["name"]) is null) root[name]!["name"] = "";
        }
        var contact = root["contact"] as JsonObject ?? new JsonObject();
        root["contact"] = contact;
        if (string.IsNullOrWhiteSpace(Str(contact["name"]))) contact["name"] = S(strings, "common.defaultContactName");
        var recipient = root["recipient"] as JsonObject ?? new JsonObject();
        root["recipient"] = recipient;
        if (recipient["userIds"] is not JsonArray) recipient["userIds"] = new JsonArray();
        if (root["parameters"] is not JsonObject) root["parameters"] = new JsonObject();
    }

    public static JsonObject Build(string templateId, JsonObject root, JsonObject strings, string lang)
    {
        var p = (JsonObject)root["parameters"]!;
        var contact = (JsonObject)root["contact"]!;
        var view = new JsonObject
        {
            ["hasContactEmail"] = !string.IsNullOrWhiteSpace(Str(contact["email"])),
            ["hasContactUrl"] = !string.IsNullOrWhiteSpace(Str(contact["url"])),
        };
        var culture = CultureInfo.GetCultureInfo(S(strings, "language.culture"));
        if (CardTemplateIds.PlanUsable.Contains(templateId))
        {
            view["title"] = Str((p["texts"] as JsonObject)?["title"]) ?? S(strings, TitleKey(templateId));
            Resources(view, p, templateId);
        }
        switch (templateId)
        {
            case CardTemplateIds.Introduction: Introduction(view, p, strings, culture); break;
            case CardTemplateIds.PreEnrollment: PreEnrollment(view, p, strings); break;
            case CardTemplateIds.Enrollment: Enrollment(view, p, strings); break;
            case CardTemplateIds.Survey: Survey(view, root, strings); break;
            case CardTemplateIds.SurveyThanks: SurveyThanks(view, root, strings); break;
            case CardTemplateIds.Reminder: Reminder(view, p, strings, culture); break;
            case CardTemplateIds.Help: Help(view, p, strings); break;
            case CardTemplateIds.Status: Status(view, root, p, strings, culture); break;
        }
        return view;
    }

    private static void Introduction(JsonObject view, JsonObject p, JsonObject strings, CultureInfo culture)
    {
        view["why"] = Str(p["why"]) ?? S(strings, "introduction.whyText");
        var timeline = new JsonArray();
        foreach (var item in Arr(p["timeline"]))
        {
            var month = Str(item?["month"]);
            var departments = Str(item?["departments"]);
            if (string.IsNullOrWhiteSpace(month) || string.IsNullOrWhiteSpace(departments))
                throw Bad("introduction", $"timeline[{timeline.Count}]", "each entry needs a 'month' and 'departments' text (quote texts that contain commas)");
            timeline.Add(new JsonObject { ["month"] = month, ["departments"] = departments });
        }
        view["timeline"] = timeline;
        view["hasTimeline"] = timeline.Count > 0;
        var meeting = p["meeting"] as JsonObject;
        var date = Str(meeting?["date"]);
        var url = Str(meeting?["url"]);
        var location = Str(meeting?["location"]);
        var facts = new JsonArray();
        if (date is not null)
            facts.Add(new JsonObject { ["title"] = S(strings, "introduction.meetingWhen"), ["value"] = FormatDate(date, strings, culture, "introduction", "meeting.date") });
        if (!string.IsNullOrWhiteSpace(location))
            facts.Add(new JsonObject { ["title"] = S(strings, "introduction.meetingWhere"), ["value"] = location });
        view["hasMeeting"] = facts.Count > 0 || url is not null;
        view["hasMeetingFacts"] = facts.Count > 0;
        view["meetingFacts"] = facts;
        view["hasMeetingUrl"] = url is not null;
        view["meetingUrl"] = url ?? "";
    }

    private static void PreEnrollment(JsonObject view, JsonObject p, JsonObject strings)
    {
        view["intro"] = Str(p["intro"]) ?? S(strings, "preEnrollment.intro");
        var prepare = Arr(p["prepare"]).Select(Str).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (prepare.Count == 0) prepare = [.. Enumerable.Range(1, 4).Select(i => S(strings, $"preEnrollment.prepare{i}"))];
        view["prepare"] = new JsonArray([.. prepare.Select(s => (JsonNode?)JsonValue.Create(s))]);
    }

    /// <summary>The strings key of a plan card's heading, which the message's <c>texts.title</c> replaces.</summary>
    private static string TitleKey(string templateId) => templateId switch
    {
        CardTemplateIds.PreEnrollment => "preEnrollment.title",
        _ => templateId + ".title",
    };

    /// <summary>The plan's <c>resources</c> links, shown by every plan card.</summary>
    private static void Resources(JsonObject view, JsonObject p, string templateId)
    {
        var resources = new JsonArray();
        foreach (var item in Arr(p["resources"]))
        {
            var url = Str(item?["url"]) ?? throw Bad(templateId, $"resources[{resources.Count}]", "each resource needs a 'url'");
            resources.Add(new JsonObject { ["title"] = Str(item?["title"]) ?? url, ["url"] = url });
        }
        view["resources"] = resources;
        view["hasResources"] = resources.Count > 0;
    }

    private static void Enrollment(JsonObject view, JsonObject p, JsonObject strings)
    {
        view["intro"] = Str(p["intro"]) ?? S(strings, "enrollment.intro");
        Platforms(view, p, strings, CardTemplateIds.Enrollment);
    }

    /// <summary>
    /// One toggled section per platform, in the plan's order (default: all four): the plan's own steps and links or
    /// the built-in ones. Every section is in the card JSON; only the first is visible when the card arrives.
    /// </summary>
    private static void Platforms(JsonObject view, JsonObject p, JsonObject strings, string templateId)
    {
        var links = (JsonObject)CardResources.Load("Cards/Templates/platforms.json")!;
        var requested = p["platforms"] is JsonArray list && list.Count > 0
            ? list.Select(n => n is JsonObject o ? o : new JsonObject { ["id"] = Str(n) }).ToList()
            : [.. PlatformOrder.Select(id => new JsonObject { ["id"] = id })];
        var platforms = new List<JsonObject>();
        foreach (var spec in requested)
        {
            var id = Str(spec["id"]) ?? throw Bad(templateId, "platforms", "each platform needs an 'id'");
            var texts = strings["platforms"]?[id] as JsonObject;
            var link = links[id] as JsonObject;
            var name = Str(texts?["name"]) ?? id;
            var steps = Arr(spec["steps"]).Select(Str).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            if (steps.Count == 0 && texts is not null)
            {
                steps = [.. texts.Where(t => t.Key.StartsWith("step", StringComparison.Ordinal))
                    .OrderBy(t => int.Parse(t.Key[4..], CultureInfo.InvariantCulture)).Select(t => Str(t.Value))];
            }
            if (steps.Count == 0)
                throw Bad(templateId, "platforms", $"platform '{id}' has no built-in steps; give it 'steps' (known: {string.Join(", ", PlatformOrder)})");
            var portal = Str(spec["companyPortalUrl"]) ?? Str(link?["companyPortalUrl"]);
            var guide = Str(spec["guideUrl"]) ?? Str(link?["guideUrl"]);
            platforms.Add(new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["elementId"] = "platform-" + id,
                ["showing"] = CardStrings.Fill(S(strings, "enrollment.showing"), new Dictionary<string, string> { ["platform"] = name }),
                ["steps"] = new JsonArray([.. steps.Select((s, i) => (JsonNode?)new JsonObject { ["number"] = i + 1, ["text"] = s })]),
                ["hasPortalUrl"] = portal is not null,
                ["companyPortalUrl"] = portal ?? "",
                ["hasGuideUrl"] = guide is not null,
                ["guideUrl"] = guide ?? "",
            });
        }
        for (var i = 0; i < platforms.Count; i++)
        {
            platforms[i]["visible"] = i == 0;
            platforms[i]["targets"] = new JsonArray([.. platforms.Select((other, j) =>
                (JsonNode?)new JsonObject { ["elementId"] = other["elementId"]!.DeepClone(), ["isVisible"] = i == j })]);
        }
        view["platforms"] = new JsonArray([.. platforms]);
    }

    private static JsonObject SurveyActionData(JsonObject root)
    {
        var data = new JsonObject();
        void Add(string key, string? value)
        {
            if (value is not null) data[key] = value;
        }
        var p = (JsonObject)root["parameters"]!;
        Add("surveyId", Str(p["survey"]));
        Add("messageId", Str(root["message"]?["id"]));
        Add("waveId", Str(root["wave"]?["id"]));
        Add("departmentId", Str(root["department"]?["id"]));
        return data;
    }

    private static JsonObject WithVerb(JsonObject data, string verb)
    {
        var copy = (JsonObject)data.DeepClone();
        copy["verb"] = verb;
        return copy;
    }

    private static JsonObject Answers(JsonObject root)
    {
        var a = root["answers"] as JsonObject ?? new JsonObject();
        var problems = a["problems"] is JsonArray list ? string.Join(",", list.Select(Str)) : Str(a["problems"]) ?? "";
        return new JsonObject
        {
            ["rating"] = Str(a["rating"]) ?? "",
            ["success"] = Str(a["success"]) ?? "",
            ["platform"] = Str(a["platform"]) ?? "",
            ["duration"] = Str(a["duration"]) ?? "",
            ["problems"] = problems,
            ["comment"] = Str(a["comment"]) ?? "",
            ["consent"] = Str(a["consent"]) is "true" ? "true" : "false",
        };
    }

    private static void Survey(JsonObject view, JsonObject root, JsonObject strings)
    {
        var data = SurveyActionData(root);
        view["actionData"] = data;
        view["submitData"] = WithVerb(data, "survey.submit");
        view["answers"] = Answers(root);
    }

    private static void SurveyThanks(JsonObject view, JsonObject root, JsonObject strings)
    {
        var data = SurveyActionData(root);
        view["actionData"] = data;
        view["editData"] = WithVerb(data, "survey.edit");
        var a = Answers(root);
        var none = S(strings, "surveyThanks.notAnswered");
        string Choice(string prefix, string value) =>
            value.Length == 0 ? none : Str(strings["survey"]?[prefix + Key(value)]) ?? value;
        var problems = Str(a["problems"])!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => Choice("problem", v switch { "signin" => "SignIn", _ => v }));
        var facts = new (string Label, string Value)[]
        {
            (S(strings, "surveyThanks.factRating"), Choice("rating", Str(a["rating"])!)),
            (S(strings, "surveyThanks.factSuccess"), Choice("success", Str(a["success"])!)),
            (S(strings, "surveyThanks.factPlatform"), Choice("platform", Str(a["platform"])!)),
            (S(strings, "surveyThanks.factDuration"), Choice("duration", Str(a["duration"]) switch { "under15" => "Under15", "over60" => "Over60", var v => v! })),
            (S(strings, "surveyThanks.factProblems"), string.Join(", ", problems) is { Length: > 0 } joined ? joined : none),
            (S(strings, "surveyThanks.factComment"), Str(a["comment"]) is { Length: > 0 } comment ? comment : none),
            (S(strings, "surveyThanks.factConsent"), S(strings, Str(a["consent"]) == "true" ? "survey.consentOn" : "survey.consentOff")),
        };
        view["facts"] = new JsonArray([.. facts.Select(f => (JsonNode?)new JsonObject { ["title"] = f.Label, ["value"] = f.Value })]);
    }

    /// <summary>Maps a stored answer value to the suffix of its strings key: "partly" → "Partly", "ios" → "Ios".</summary>
    private static string Key(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];

    private static void Reminder(JsonObject view, JsonObject p, JsonObject strings, CultureInfo culture)
    {
        var hasPlatforms = p["platforms"] is JsonArray { Count: > 0 };
        view["hasPlatforms"] = hasPlatforms;
        if (hasPlatforms) Platforms(view, p, strings, CardTemplateIds.Reminder);
        else view["platforms"] = new JsonArray();
        view["text"] = Str(p["text"]) ?? S(strings, hasPlatforms ? "reminder.textWithPlatforms" : "reminder.text");
        var deadline = Str(p["deadline"]);
        view["hasDeadline"] = deadline is not null;
        view["deadlineText"] = deadline is null ? "" : CardStrings.Fill(S(strings, "reminder.deadline"),
            new Dictionary<string, string> { ["deadline"] = FormatDate(deadline, strings, culture, "reminder", "deadline") });
        var link = p["link"] as JsonObject;
        var url = Str(link?["url"]);
        view["hasLink"] = url is not null;
        view["linkUrl"] = url ?? "";
        view["linkTitle"] = Str(link?["title"]) ?? S(strings, "reminder.linkButton");
    }

    private static void Help(JsonObject view, JsonObject p, JsonObject strings)
    {
        JsonArray Commands(IEnumerable<(string Command, string Description)> builtIn, JsonNode? extra) =>
            new([
                .. builtIn.Select(c => (JsonNode?)new JsonObject { ["command"] = c.Command, ["description"] = c.Description }),
                .. Arr(extra).OfType<JsonObject>().Select(c => (JsonNode?)new JsonObject
                {
                    ["command"] = Str(c["command"]) ?? "",
                    ["description"] = Str(c["description"]) ?? "",
                }),
            ]);
        view["isLead"] = p["isLead"] is JsonValue v && v.TryGetValue<bool>(out var lead) && lead;
        view["employeeCommands"] = Commands([("help", S(strings, "help.commandHelp"))], p["employeeCommands"]);
        view["leadCommands"] = Commands(
            [("status [wave-id]", S(strings, "help.commandStatus")), ("preview <message-id> [nl|en]", S(strings, "help.commandPreview"))],
            p["leadCommands"]);
    }

    private static void Status(JsonObject view, JsonObject root, JsonObject p, JsonObject strings, CultureInfo culture)
    {
        long Count(string key) => (long)(Number(p[key]) ?? 0);
        long total = Count("total"), sent = Count("sent"), delivered = Count("delivered"), failed = Count("failed"), pending = Count("pending");
        var cancelled = p["cancelled"] is JsonValue cv && cv.TryGetValue<bool>(out var isCancelled) && isCancelled;
        var paused = !cancelled && p["paused"] is JsonValue pv && pv.TryGetValue<bool>(out var isPaused) && isPaused;
        var completed = !paused && !cancelled && pending == 0 && total > 0;
        var percent = total > 0 ? (int)Math.Round(100.0 * Math.Min(delivered + failed, total) / total) : 0;
        var waveName = Str(p["waveName"]) ?? Str(root["wave"]?["name"]) ?? "";
        var fill = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["wave"] = waveName,
            ["percent"] = percent.ToString(culture),
        };
        view["title"] = CardStrings.Fill(S(strings, "status.title"), fill);
        view["stateText"] = S(strings, cancelled ? "status.cancelled" : paused ? "status.paused" : completed ? "status.completed" : "status.running");
        view["stateColor"] = cancelled ? "Attention" : paused ? "Warning" : completed ? "Good" : "Default";
        var filled = percent / 10;
        view["progressBar"] = new string('█', filled) + new string('░', 10 - filled);
        view["progressText"] = CardStrings.Fill(S(strings, "status.progress"), fill);
        var rate = Number(p["ratePerMinute"]) ?? 0;
        var eta = Str(p["eta"]);
        var rows = new (string Label, string Value, string Color)[]
        {
            (S(strings, "status.total"), total.ToString("N0", culture), "Default"),
            (S(strings, "status.sent"), sent.ToString("N0", culture), "Default"),
            (S(strings, "status.delivered"), delivered.ToString("N0", culture), "Default"),
            (S(strings, "status.failed"), failed.ToString("N0", culture), failed > 0 ? "Attention" : "Default"),
            (S(strings, "status.pending"), pending.ToString("N0", culture), "Default"),
            (S(strings, "status.rate"), CardStrings.Fill(S(strings, "status.ratePerMinute"),
                new Dictionary<string, string> { ["rate"] = rate.ToString("0.#", culture) }), "Default"),
            (S(strings, "status.eta"), completed ? S(strings, "status.completed") : cancelled ? "—"
                : eta is null ? S(strings, "status.etaUnknown") : FormatDate(eta, strings, culture, "status", "eta", root), "Default"),
        };
        view["rows"] = new JsonArray([.. rows.Select(x => (JsonNode?)new JsonObject { ["label"] = x.Label, ["value"] = x.Value, ["color"] = x.Color })]);
        var updated = Str(p["updatedAt"]);
        view["updatedText"] = updated is null ? "" : CardStrings.Fill(S(strings, "status.updated"),
            new Dictionary<string, string> { ["updatedAt"] = FormatDate(updated, strings, culture, "status", "updatedAt", root) });
        view["paused"] = paused;
        view["canPause"] = !paused && !completed && !cancelled;
        view["hasFailures"] = failed > 0;
        var data = new JsonObject { ["waveId"] = Str(p["waveId"]) ?? Str(root["wave"]?["id"]) ?? "" };
        view["actionData"] = data;
        view["submitRefresh"] = WithVerb(data, "status.refresh");
        view["submitPause"] = WithVerb(data, "status.pause");
        view["submitResume"] = WithVerb(data, "status.resume");
        view["submitFailures"] = WithVerb(data, "status.failures");
    }

    /// <summary>
    /// Formats an ISO date ("2027-07-08") or date-time ("2027-07-08T10:00", local to the plan) in the card's language.
    /// A value with an offset is shown in the data's timeZone when one is given.
    /// </summary>
    private static string FormatDate(string value, JsonObject strings, CultureInfo culture, string template, string field, JsonObject? root = null)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date.ToString(S(strings, "language.dateFormat"), culture);
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
            throw Bad(template, field, $"'{value}' is not a date (use 2027-07-08 or 2027-07-08T10:00)");
        DateTime local;
        var hasOffset = value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T', StringComparison.Ordinal) && value.Contains('T', StringComparison.Ordinal);
        if (hasOffset && Str(root?["timeZone"]) is { } zone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var tz))
            local = TimeZoneInfo.ConvertTime(moment, tz).DateTime;
        else
            local = hasOffset ? moment.DateTime : moment.UtcDateTime;
        return local.ToString(S(strings, "language.dateTimeFormat"), culture);
    }

    private static ArgumentException Bad(string template, string field, string what) =>
        new($"Card '{template}', parameter '{field}': {what}.");

    internal static string Text(JsonObject root, string obj, string field) => Str(root[obj]?[field]) ?? "";

    internal static string? Str(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => CardExpression.NumberOf(v).ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? CardExpression.NumberOf(v) : null;

    private static IEnumerable<JsonNode?> Arr(JsonNode? node) => node as JsonArray ?? [];

    internal static string S(JsonObject strings, string key)
    {
        JsonNode? node = strings;
        foreach (var part in key.Split('.')) node = node?[part];
        return Str(node) ?? throw new KeyNotFoundException($"No text '{key}' in the card strings.");
    }
}

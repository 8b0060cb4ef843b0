using TeamsRolloutBot.Cards;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>The outcome of reading a plan file: the plan when it has no errors, and every finding.</summary>
public sealed record PlanLoadResult(RolloutPlan? Plan, IReadOnlyList<PlanDiagnostic> Diagnostics)
{
    public bool IsValid => Plan is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<PlanDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<PlanDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}

/// <summary>Reads and validates plan YAML; every error names file, line, column and field.</summary>
public static partial class PlanLoader
{
    public const int DefaultWaveDurationDays = 28;

    public static PlanLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PlanLoadResult(null, [new PlanDiagnostic(PlanSeverity.Error, path, 1, 1, "", $"cannot read the plan file: {ex.Message}", "check the path (Rollout:PlanPath) and the file's permissions")]);
        }

        return Parse(text, path);
    }

    public static PlanLoadResult Parse(string yaml, string fileName)
    {
        var reader = new Reader(fileName);
        var plan = reader.Read(yaml);
        var diagnostics = reader.Diagnostics
            .OrderBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Severity)
            .ToList();
        return new PlanLoadResult(diagnostics.Any(d => d.IsError) ? null : plan, diagnostics);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"^(-?[0-9]+)\s*([dw])$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^19:[^\s]+@thread\.[a-z0-9]+$")]
    private static partial Regex ThreadIdPattern();

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex TextKeyPattern();

    private sealed class Fields(YamlMappingNode node, string path)
    {
        public YamlMappingNode Node { get; } = node;

        public string Path { get; } = path;

        public Dictionary<string, YamlNode> Values { get; } = [];

        public bool Has(string key) => Values.ContainsKey(key);

        public YamlNode? this[string key] => Values.GetValueOrDefault(key);

        public string Sub(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
    }

    private sealed record MessageSource(string Path, SourceLocation Offset, SourceLocation Time);

    private sealed partial class Reader(string file)
    {
        private static readonly string[] TopLevelKeys =
            ["rollout", "timeZone", "defaultLanguage", "languages", "businessHours", "weekendSends", "holidays", "leads", "contact", "departments", "waves", "messages"];

        private static readonly string[] DepartmentKeys = ["id", "name", "team", "channel", "members", "expectedSize", "language"];
        private static readonly string[] WaveKeys = ["id", "name", "departments", "start", "duration", "messages"];
        private static readonly string[] MessageKeys = ["id", "phase", "offset", "time", "audience", "template", "parameters", "texts", "collectReplies"];

        private readonly Dictionary<PlanMessage, MessageSource> messageSources = new(ReferenceEqualityComparer.Instance);

        private IReadOnlyList<string> languages = PlanVocabulary.SupportedLanguages;

        public List<PlanDiagnostic> Diagnostics { get; } = [];

        public RolloutPlan? Read(string yaml)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (YamlException ex)
            {
                var message = (ex.InnerException?.Message ?? ex.Message).Trim();
                Error(ex.Start, "", $"not valid YAML: {message}", "fix the YAML syntax at this position (indentation, quotes, a missing ':' or a duplicate key)");
                return null;
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner can fail this way on an unclosed [ or {; report where parsing got stuck.
                Error(LastGoodMark(yaml), "", "not valid YAML: the text after this position could not be read", "look for an unclosed '[', '{' or quote after this position");
                return null;
            }

            if (stream.Documents.Count == 0)
            {
                Error(new SourceLocation(1, 1), "", "the plan file is empty", "start from samples/intune-rollout.yaml");
                return null;
            }

            if (stream.Documents.Count > 1)
            {
                Error(Loc(stream.Documents[1].RootNode), "", "the plan file holds more than one YAML document", "keep one plan per file: remove the '---' separator and what follows");
            }

            var root = Map(stream.Documents[0].RootNode, "", TopLevelKeys, ["rollout", "timeZone", "languages", "leads", "departments", "waves"]);
            if (root is null)
            {
                return null;
            }

            var name = RequiredString(root, "rollout");
            ReadLanguages(root, out var defaultLanguage);
            var timeZone = ReadTimeZone(root);
            var hours = ReadBusinessHours(root);
            var weekend = ReadWeekendPolicy(root);
            var holidays = ReadHolidays(root);
            var leads = ReadLeads(root);
            var contact = ReadContact(root);
            var departments = ReadList(root, "departments", ReadDepartment);
            var shared = root.Has("messages") ? ReadList(root, "messages", ReadMessage) : [];
            var waves = ReadList(root, "waves", (node, path) => ReadWave(node, path, departments));

            CheckDuplicates(departments, d => d.Id, d => d.Location, "departments", "department");
            CheckDuplicates(waves, w => w.Id, w => w.Location, "waves", "wave");
            CheckDuplicates(shared, m => m.Id, m => m.Location, "messages", "message");
            waves = waves.Select(w => w with { EffectiveMessages = w.OwnMessages ?? shared }).ToList();
            foreach (var wave in waves)
            {
                if (wave.OwnMessages is { } own)
                {
                    CheckDuplicates(own, m => m.Id, m => m.Location, $"waves({wave.Id}).messages", "message");
                }

                if (wave.EffectiveMessages.Count == 0)
                {
                    Warning(wave.Location, $"waves({wave.Id})", "this wave has no messages: nothing will be sent", "add messages: to the wave, or shared messages: at the top level");
                }
            }

            CheckDepartmentRoutes(departments, waves);
            CheckOverlaps(departments, waves);

            if (name is null || timeZone is null || leads is null || departments.Count == 0 || waves.Count == 0)
            {
                return null;
            }

            var plan = new RolloutPlan(name, timeZone.Id, timeZone, defaultLanguage, languages, hours, weekend, holidays, leads, contact, departments, waves, shared, file);
            if (!Diagnostics.Any(d => d.IsError))
            {
                CheckSchedule(plan);
            }

            return plan;
        }

        private static Mark LastGoodMark(string yaml)
        {
            var parser = new Parser(new StringReader(yaml));
            var last = Mark.Empty;
            try
            {
                while (parser.MoveNext())
                {
                    last = parser.Current!.End;
                }
            }
            catch (Exception ex) when (ex is YamlException or InvalidOperationException)
            {
                // expected: this is how we find the spot
            }

            return last;
        }

        // ---- top level -------------------------------------------------------------------------------------------

        private void ReadLanguages(Fields root, out string defaultLanguage)
        {
            var list = new List<string>();
            if (root["languages"] is { } node && Sequence(node, "languages") is { } items)
            {
                foreach (var item in items)
                {
                    if (Scalar(item, "languages") is not { } code)
                    {
                        continue;
                    }

                    if (!PlanVocabulary.SupportedLanguages.Contains(code))
                    {
                        Error(item, "languages", $"language '{code}' has no card texts in this bot",
                            $"{Suggest.DidYouMean(code, PlanVocabulary.SupportedLanguages)}use {Join(PlanVocabulary.SupportedLanguages)}");
                    }
                    else if (list.Contains(code))
                    {
                        Error(item, "languages", $"language '{code}' is listed twice", "list each language once");
                    }
                    else
                    {
                        list.Add(code);
                    }
                }

                if (list.Count == 0 && items.Count == 0)
                {
                    Error(node, "languages", "no languages listed", "write languages: [nl, en]");
                }
            }

            if (list.Count > 0)
            {
                languages = list;
            }

            defaultLanguage = languages[0];
            if (root["defaultLanguage"] is { } defaultNode && Scalar(defaultNode, "defaultLanguage") is { } value)
            {
                if (!languages.Contains(value))
                {
                    Error(defaultNode, "defaultLanguage", $"'{value}' is not one of the plan's languages ({Join(languages)})",
                        $"{Suggest.DidYouMean(value, languages)}set defaultLanguage to one of {Join(languages)}, or add it to languages");
                }
                else
                {
                    defaultLanguage = value;
                }
            }
        }

        private TimeZoneInfo? ReadTimeZone(Fields root)
        {
            if (root["timeZone"] is not { } node || Scalar(node, "timeZone") is not { } id)
            {
                return null;
            }

            if (id.Contains(' ', StringComparison.Ordinal) && TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana))
            {
                Error(node, "timeZone", $"'{id}' is a Windows time zone name, not an IANA time zone id", $"write timeZone: {iana}");
                return null;
            }

            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(z => z.Contains('/', StringComparison.Ordinal));
                Error(node, "timeZone", $"unknown time zone '{id}'",
                    $"{Suggest.DidYouMean(id, known, 4)}use an IANA time zone id such as Europe/Amsterdam");
                return null;
            }
        }

        private BusinessHours ReadBusinessHours(Fields root)
        {
            var fallback = new BusinessHours(new TimeOnly(8, 0), new TimeOnly(18, 0));
            if (root["businessHours"] is not { } node || Map(node, "businessHours", ["start", "end"], ["start", "end"]) is not { } fields)
            {
                return fallback;
            }

            var start = fields["start"] is { } s ? TimeOfDay(s, fields.Sub("start")) : null;
            var end = fields["end"] is { } e ? TimeOfDay(e, fields.Sub("end")) : null;
            if (start is null || end is null)
            {
                return fallback;
            }

            if (end <= start)
            {
                Error(fields["end"]!, fields.Sub("end"), $"business hours end ({end:HH\\:mm}) before they start ({start:HH\\:mm})", "make end later than start, e.g. start: \"08:00\", end: \"18:00\"");
                return fallback;
            }

            return new BusinessHours(start.Value, end.Value);
        }

        private WeekendPolicy ReadWeekendPolicy(Fields root)
        {
            if (root["weekendSends"] is not { } node || Scalar(node, "weekendSends") is not { } value)
            {
                return WeekendPolicy.Keep;
            }

            switch (value)
            {
                case "keep":
                    return WeekendPolicy.Keep;
                case "next-business-day":
                    return WeekendPolicy.NextBusinessDay;
                default:
                    Error(node, "weekendSends", $"unknown value '{value}'",
                        $"{Suggest.DidYouMean(value, PlanVocabulary.WeekendPolicies)}use keep or next-business-day");
                    return WeekendPolicy.Keep;
            }
        }

        private List<Holiday> ReadHolidays(Fields root)
        {
            var holidays = new List<Holiday>();
            if (root["holidays"] is not { } node || Sequence(node, "holidays") is not { } items)
            {
                return holidays;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var path = $"holidays[{i}]";
                if (items[i] is YamlMappingNode)
                {
                    if (Map(items[i], path, ["date", "name"], ["date"]) is { } fields && fields["date"] is { } dateNode && Date(dateNode, fields.Sub("date")) is { } date)
                    {
                        holidays.Add(new Holiday(date, fields["name"] is { } n ? Scalar(n, fields.Sub("name")) : null));
                    }
                }
                else if (Date(items[i], path) is { } date)
                {
                    holidays.Add(new Holiday(date, null));
                }
            }

            return holidays;
        }

        private PlanLeads? ReadLeads(Fields root)
        {
            if (root["leads"] is not { } node || Map(node, "leads", ["users", "group"], []) is not { } fields)
            {
                return null;
            }

            var before = Diagnostics.Count;
            var users = fields["users"] is { } u ? UserList(u, fields.Sub("users")) : [];
            var group = fields["group"] is { } g ? GroupId(g, fields.Sub("group")) : null;
            if (users.Count == 0 && group is null && Diagnostics.Count == before)
            {
                Error(node, "leads", "no project leads: nobody could drive the bot", "add users: [<Entra object id or UPN>] and/or group: <Entra group id>");
            }

            return new PlanLeads(users, group);
        }

        private PlanContact? ReadContact(Fields root)
        {
            if (root["contact"] is not { } node || Map(node, "contact", ["name", "email", "url"], []) is not { } fields)
            {
                return null;
            }

            var email = fields["email"] is { } e ? Scalar(e, fields.Sub("email")) : null;
            if (email is not null && !email.Contains('@', StringComparison.Ordinal))
            {
                Error(fields["email"]!, fields.Sub("email"), $"'{email}' is not an e-mail address", "write e.g. servicedesk@contoso.com");
            }

            var url = fields["url"] is { } un ? Url(un, fields.Sub("url")) : null;
            return new PlanContact(fields["name"] is { } n ? Scalar(n, fields.Sub("name")) : null, email, url);
        }

        // ---- departments ---------------------------------------------------------------------------------------

        private Department? ReadDepartment(YamlNode node, string path)
        {
            if (Map(node, path, DepartmentKeys, ["id", "name"]) is not { } fields)
            {
                return null;
            }

            var id = Id(fields);
            var name = fields["name"] is { } n ? Localized(n, fields.Sub("name"), allowPlain: true) : null;
            string? team = null, channel = null;
            if (fields["team"] is { } teamNode && Scalar(teamNode, fields.Sub("team")) is { } teamValue)
            {
                if (!Guid.TryParse(teamValue, out _) && !ThreadIdPattern().IsMatch(teamValue))
                {
                    Error(teamNode, fields.Sub("team"), $"'{teamValue}' is not a Teams team id", "use the team's group id (a GUID) or its thread id (19:...@thread.tacv2), from the team's 'Get link to team'");
                }

                team = teamValue;
            }

            if (fields["channel"] is { } channelNode && Scalar(channelNode, fields.Sub("channel")) is { } channelValue)
            {
                if (!ThreadIdPattern().IsMatch(channelValue))
                {
                    Error(channelNode, fields.Sub("channel"), $"'{channelValue}' is not a Teams channel id", "copy the id from the channel's 'Get link to channel': it looks like 19:...@thread.tacv2");
                }

                channel = channelValue;
                if (team is null)
                {
                    Error(channelNode, fields.Sub("team"), "a channel is given without its team", "add team: <team id> next to channel:");
                }
            }

            MemberSource? members = null;
            if (fields["members"] is { } membersNode && Map(membersNode, fields.Sub("members"), ["group", "users"], []) is { } m)
            {
                var group = m["group"] is { } g ? GroupId(g, m.Sub("group")) : null;
                var users = m["users"] is { } u ? UserList(u, m.Sub("users")) : [];
                if (m.Has("group") && m.Has("users"))
                {
                    Error(membersNode, m.Path, "members has both group and users", "choose one: group: <Entra group id>, or users: [<object id or UPN>, ...]");
                }
                else if (!m.Has("group") && !m.Has("users"))
                {
                    Error(membersNode, m.Path, "members names no group and no users", "write group: <Entra group id>, or users: [<object id or UPN>, ...]");
                }
                else if (m.Has("users") && users.Count == 0 && m["users"] is YamlSequenceNode { Children.Count: 0 })
                {
                    Error(membersNode, m.Sub("users"), "the member list is empty", "list the members' object ids or UPNs, or use group:");
                }

                members = new MemberSource(group, users);
            }

            int? size = null;
            if (fields["expectedSize"] is { } sizeNode && Scalar(sizeNode, fields.Sub("expectedSize")) is { } sizeText)
            {
                if (int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
                {
                    size = parsed;
                }
                else
                {
                    Error(sizeNode, fields.Sub("expectedSize"), $"'{sizeText}' is not a positive whole number", "write the expected number of members, e.g. expectedSize: 260 (no thousands separator)");
                }
            }

            string? language = null;
            if (fields["language"] is { } languageNode && Scalar(languageNode, fields.Sub("language")) is { } languageValue)
            {
                if (languages.Contains(languageValue))
                {
                    language = languageValue;
                }
                else
                {
                    Error(languageNode, fields.Sub("language"), $"'{languageValue}' is not one of the plan's languages ({Join(languages)})",
                        $"{Suggest.DidYouMean(languageValue, languages)}set language to one of {Join(languages)}, add it to languages, or leave it out to use defaultLanguage");
                }
            }

            if (channel is null && members is null && !fields.Has("channel") && !fields.Has("members"))
            {
                Error(node, path, $"department '{id}' has no channel and no members: the bot cannot reach it", "add channel: and team: for channel posts, and/or members: { group: <Entra group id> } for 1:1 messages");
            }

            return id is null ? null : new Department(id, name ?? Same(id), team, channel, members, size, Loc(node)) { Language = language };
        }

        // ---- waves and messages --------------------------------------------------------------------------------

        private Wave? ReadWave(YamlNode node, string path, List<Department> departments)
        {
            if (Map(node, path, WaveKeys, ["id", "departments", "start"]) is not { } fields)
            {
                return null;
            }

            var id = Id(fields);
            var name = fields["name"] is { } n ? Localized(n, fields.Sub("name"), allowPlain: true) : null;
            var all = false;
            var ids = new List<string>();
            if (fields["departments"] is YamlScalarNode allNode)
            {
                if (allNode.Value == "all")
                {
                    all = true;
                    ids.AddRange(departments.Select(d => d.Id));
                }
                else
                {
                    Error(allNode, fields.Sub("departments"), $"'{allNode.Value}' is not a list of departments", "write departments: all, or a list such as departments: [it, hr]");
                }
            }
            else if (fields["departments"] is { } listNode && Sequence(listNode, fields.Sub("departments")) is { } items)
            {
                if (items.Count == 0)
                {
                    Error(listNode, fields.Sub("departments"), "the wave has no departments", "list the department ids of this wave, or write departments: all");
                }

                foreach (var item in items)
                {
                    if (Scalar(item, fields.Sub("departments")) is not { } departmentId)
                    {
                        continue;
                    }

                    if (departments.All(d => d.Id != departmentId))
                    {
                        Error(item, fields.Sub("departments"), $"unknown department '{departmentId}'",
                            $"{Suggest.DidYouMean(departmentId, departments.Select(d => d.Id))}use an id from departments: ({Join(departments.Select(d => d.Id))})");
                    }
                    else if (ids.Contains(departmentId))
                    {
                        Error(item, fields.Sub("departments"), $"department '{departmentId}' is listed twice", "list each department once");
                    }
                    else
                    {
                        ids.Add(departmentId);
                    }
                }
            }

            var start = fields["start"] is { } s ? Date(s, fields.Sub("start")) : null;
            var duration = DefaultWaveDurationDays;
            if (fields["duration"] is { } d && Offset(d, fields.Sub("duration")) is { } days)
            {
                if (days.Days <= 0)
                {
                    Error(d, fields.Sub("duration"), $"duration {days.Text} is not positive", "write a duration such as 4w or 30d");
                }
                else
                {
                    duration = days.Days;
                }
            }

            List<PlanMessage>? messages = null;
            if (fields.Has("messages"))
            {
                messages = ReadList(fields, "messages", ReadMessage);
            }

            return id is null || start is null
                ? null
                : new Wave(id, name ?? Same(id), all, ids, start.Value, duration, messages, Loc(node));
        }

        private PlanMessage? ReadMessage(YamlNode node, string path)
        {
            if (Map(node, path, MessageKeys, ["id", "phase", "offset", "time", "audience", "template"]) is not { } fields)
            {
                return null;
            }

            var id = Id(fields);
            MessagePhase? phase = null;
            if (fields["phase"] is { } phaseNode && Scalar(phaseNode, fields.Sub("phase")) is { } phaseText)
            {
                phase = phaseText switch
                {
                    "introduction" => MessagePhase.Introduction,
                    "pre-enrollment" => MessagePhase.PreEnrollment,
                    "enrollment" => MessagePhase.Enrollment,
                    "post-enrollment" => MessagePhase.PostEnrollment,
                    "reminder" => MessagePhase.Reminder,
                    _ => null,
                };
                if (phase is null)
                {
                    Error(phaseNode, fields.Sub("phase"), $"unknown phase '{phaseText}'",
                        $"{Suggest.DidYouMean(phaseText, PlanVocabulary.Phases)}use one of {Join(PlanVocabulary.Phases)}");
                }
            }

            var offset = fields["offset"] is { } o ? Offset(o, fields.Sub("offset")) : null;
            var time = fields["time"] is { } t ? TimeOfDay(t, fields.Sub("time")) : null;
            MessageAudience? audience = null;
            if (fields["audience"] is { } audienceNode && Scalar(audienceNode, fields.Sub("audience")) is { } audienceText)
            {
                audience = audienceText switch
                {
                    "channel" => MessageAudience.Channel,
                    "members" => MessageAudience.Members,
                    "both" => MessageAudience.Both,
                    "email" => MessageAudience.Email,
                    _ => null,
                };
                if (audience is null)
                {
                    Error(audienceNode, fields.Sub("audience"), $"unknown audience '{audienceText}'",
                        $"{Suggest.DidYouMean(audienceText, PlanVocabulary.Audiences)}use one of {Join(PlanVocabulary.Audiences)}");
                }
            }

            string? template = null;
            if (fields["template"] is { } templateNode && Scalar(templateNode, fields.Sub("template")) is { } templateText)
            {
                if (CardTemplateIds.BotInternal.Contains(templateText))
                {
                    Error(templateNode, fields.Sub("template"), $"template '{templateText}' is used by the bot itself and cannot be scheduled",
                        $"use one of {Join(CardTemplateIds.PlanUsable)}");
                }
                else if (!CardTemplateIds.PlanUsable.Contains(templateText))
                {
                    Error(templateNode, fields.Sub("template"), $"unknown card template '{templateText}'",
                        $"{Suggest.DidYouMean(templateText, CardTemplateIds.PlanUsable)}use one of {Join(CardTemplateIds.PlanUsable)}");
                }
                else
                {
                    template = templateText;
                }
            }

            var parameters = new JsonObject();
            if (fields["parameters"] is { } parametersNode)
            {
                parameters = Parameters(parametersNode, fields.Sub("parameters"), template) ?? parameters;
            }

            if (template == CardTemplateIds.Survey && !parameters.ContainsKey("survey"))
            {
                Error(fields["parameters"] ?? node, fields.Sub("parameters"), "a survey card needs the survey id", "add parameters: { survey: <survey id> }");
            }

            if (template == CardTemplateIds.Enrollment && !parameters.ContainsKey("platforms"))
            {
                Error(fields["parameters"] ?? node, fields.Sub("parameters"), "an enrollment card needs the platforms to give instructions for",
                    $"add parameters: {{ platforms: [{string.Join(", ", PlanVocabulary.Platforms)}] }}");
            }

            var texts = new Dictionary<string, LocalizedText>();
            if (fields["texts"] is { } textsNode && Map(textsNode, fields.Sub("texts"), null, []) is { } textFields)
            {
                foreach (var (key, value) in textFields.Values)
                {
                    if (PlanVocabulary.SupportedLanguages.Contains(key))
                    {
                        Error(value, textFields.Sub(key), "texts are keyed by language first; they must be keyed by text name first",
                            $"write texts: {{ title: {{ {string.Join(", ", languages.Select(l => l + ": ..."))} }} }}");
                        continue;
                    }

                    if (!TextKeyPattern().IsMatch(key))
                    {
                        Error(value, textFields.Sub(key), $"'{key}' is not a text name", "texts are keyed by a name such as title or body, each with a text per language");
                        continue;
                    }

                    if (Localized(value, textFields.Sub(key), allowPlain: languages.Count == 1) is { } text)
                    {
                        texts[key] = text;
                    }

                    if (template is not null && !MessageTexts.Contains(key))
                    {
                        Warning(KeyLoc(textFields.Node, key), textFields.Sub(key), $"the '{template}' card does not show text '{key}'",
                            $"{Suggest.DidYouMean(key, MessageTexts)}cards show texts: {Join(MessageTexts)}; other card texts are parameters (see docs/cards.md)");
                    }
                }
            }

            var collectReplies = false;
            if (fields["collectReplies"] is { } replies && Scalar(replies, fields.Sub("collectReplies")) is { } repliesText)
            {
                if (repliesText is "true" or "false")
                {
                    collectReplies = repliesText == "true";
                }
                else
                {
                    Error(replies, fields.Sub("collectReplies"), $"'{repliesText}' is not true or false", "write collectReplies: true or collectReplies: false");
                }
            }

            if (id is null || phase is null || offset is null || time is null || audience is null || template is null)
            {
                return null;
            }

            var fingerprint = Fingerprint(phase.Value, template, parameters, texts, collectReplies);
            var message = new PlanMessage(id, phase.Value, offset.Value.Days, offset.Value.Text, time.Value, audience.Value, template, parameters, texts, collectReplies, fingerprint, Loc(node));
            messageSources[message] = new MessageSource(path, Loc(fields["offset"]!), Loc(fields["time"]!));
            return message;
        }

        private LocalizedText? Localized(YamlNode node, string path, bool allowPlain)
        {
            if (node is YamlScalarNode scalar)
            {
                if (!allowPlain)
                {
                    Error(node, path, "one text for all languages", $"give a text per language: {{ {string.Join(", ", languages.Select(l => l + ": ..."))} }}");
                    return null;
                }

                if (string.IsNullOrWhiteSpace(scalar.Value))
                {
                    Error(node, path, "the text is empty", "write the text");
                    return null;
                }

                return new LocalizedText(languages.ToDictionary(l => l, _ => scalar.Value!));
            }

            if (node is not YamlMappingNode map)
            {
                Error(node, path, "expected a text per language", $"write {{ {string.Join(", ", languages.Select(l => l + ": ..."))} }}");
                return null;
            }

            var values = new Dictionary<string, string>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                if (!languages.Contains(key) && valueNode is YamlScalarNode { Value: null or "" } && map.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
                {
                    Error(keyNode, path, $"'{key}' looks like the rest of a text cut off at a comma", "put the text in quotes, e.g. en: \"HR, Finance and Executives\"");
                    continue;
                }

                if (!languages.Contains(key))
                {
                    var supported = PlanVocabulary.SupportedLanguages.Contains(key);
                    Error(keyNode, $"{path}.{key}", supported ? $"text in '{key}', which is not in the plan's languages ({Join(languages)})" : $"'{key}' is not a language of this plan ({Join(languages)})",
                        supported ? $"add {key} to languages, or remove this text" : $"{Suggest.DidYouMean(key, languages)}key each text by a language code: {Join(languages)}");
                    continue;
                }

                if (valueNode is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
                {
                    Error(valueNode, $"{path}.{key}", $"the {key} text is empty or not a text", "write the text (quote it if it contains ': ' or starts with a special character)");
                    continue;
                }

                values[key] = text;
            }

            foreach (var language in languages.Where(l => !map.Children.Keys.Any(k => ((YamlScalarNode)k).Value == l)))
            {
                Error(node, path, $"no '{language}' text (the plan's languages are {Join(languages)})", $"add {language}: <text> to this map");
            }

            return values.Count == languages.Count ? new LocalizedText(values) : null;
        }

    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Feedback summaries for leads (an Adaptive Card per wave and/or department, nl/en) and the CSV export of all answers.
/// Response rates divide by <see cref="ISurveyAudience"/>'s recipients.
/// </summary>
public sealed class FeedbackSummaryService(IFeedbackStore store, ISurveyAudience audience, PlanProvider plans, IOptions<FeedbackOptions> options,
    Replies.ThreadReplySummary? replies = null, Replies.IThreadReplyStore? replyStore = null)
{
    public const int MaxComments = 5;
    public const int MaxProblems = 5;
    private const int MaxCommentChars = 300;

    /// <summary>The figures for a wave and/or department (both null: everything).</summary>
    public async Task<FeedbackSummary> ComputeAsync(string? waveId, string? departmentId, CancellationToken cancellationToken)
    {
        var answers = await store.ListAsync(waveId, departmentId, cancellationToken);
        var plan = plans.Current;
        var surveys = plan is null ? [] : SurveySchedule.Of(plan);

        // Departments in scope, in plan order: the wave's, the one asked for, or every department a survey goes to; plus any with answers.
        var departmentIds = new List<string>();
        if (departmentId is not null)
        {
            departmentIds.Add(departmentId);
        }
        else
        {
            var fromPlan = waveId is not null
                ? plan?.FindWave(waveId)?.DepartmentIds ?? []
                : surveys.SelectMany(s => s.DepartmentIds);
            departmentIds.AddRange(fromPlan.Distinct());
            departmentIds.AddRange(answers.Select(a => a.Placement.DepartmentId ?? "").Distinct().Where(d => !departmentIds.Contains(d)));
        }

        var rows = new List<DepartmentFigures>();
        foreach (var id in departmentIds)
        {
            var mine = answers.Where(a => (a.Placement.DepartmentId ?? "") == id).ToList();
            var wave = waveId ?? surveys.FirstOrDefault(s => s.DepartmentIds.Contains(id))?.WaveId;
            var recipients = wave is null || id.Length == 0
                ? new SurveyRecipients(null, null, SurveyRecipientSource.Unknown)
                : await audience.GetRecipientsAsync(wave, id, cancellationToken);
            // Answers carry Entra object ids; a list with UPNs cannot be matched name by name, so it counts like a size.
            int? nonResponders = recipients.UserIds is { } ids && ids.All(u => Guid.TryParse(u, out _))
                ? ids.Count(u => !mine.Any(a => string.Equals(a.Respondent.AadObjectId, u, StringComparison.OrdinalIgnoreCase)))
                : recipients.Count is { } count ? Math.Max(0, count - mine.Count) : null;
            rows.Add(new DepartmentFigures(id, mine.Count, recipients.Count, nonResponders, recipients.Source));
        }

        var ratings = Enumerable.Range(1, 5).Select(r => answers.Count(a => a.Answer.Rating == r)).ToList();
        var problems = answers.SelectMany(a => a.Answer.Problems).GroupBy(p => p)
            .Select(g => (Problem: g.Key, Count: g.Count()))
            .OrderByDescending(p => p.Count).ThenBy(p => SurveyAnswer.ProblemValues.ToList().IndexOf(p.Problem))
            .Take(MaxProblems).ToList();
        var comments = answers.Where(a => a.Answer.Comment is { Length: > 0 })
            .OrderByDescending(a => a.UpdatedAt).Take(MaxComments)
            .Select(a => new SummaryComment(a.Answer.Comment!, a.Answer.Consent ? a.Respondent.Name : null, a.Placement.DepartmentId, a.UpdatedAt))
            .ToList();
        var known = rows.All(r => r.Recipients is not null) && rows.Count > 0;
        return new FeedbackSummary(
            waveId, departmentId, rows, answers.Count,
            known ? rows.Sum(r => r.Recipients!.Value) : null,
            known ? rows.Sum(r => r.NonResponders!.Value) : null,
            ratings,
            answers.Count > 0 ? answers.Average(a => a.Answer.Rating) : null,
            answers.Count(a => a.Answer.Success == "yes"),
            answers.Count(a => a.Answer.Success == "partly"),
            answers.Count(a => a.Answer.Success == "no"),
            problems, comments,
            options.Value.SharePointEnabled,
            await SyncCountsAsync(cancellationToken))
        {
            Replies = replies is null ? null : await replies.ComputeAsync(waveId, departmentId, cancellationToken),
        };
    }

    /// <summary>How far the SharePoint copy is, survey answers and thread replies together.</summary>
    private async Task<SyncCounts> SyncCountsAsync(CancellationToken cancellationToken)
    {
        var answers = await store.SyncCountsAsync(cancellationToken);
        if (replyStore is null)
        {
            return answers;
        }
        var (synced, pending, failing) = await replyStore.SyncCountsAsync(cancellationToken);
        return new SyncCounts(answers.Synced + synced, answers.Pending + pending, answers.Failing + failing);
    }

    /// <summary>The summary as an Adaptive Card (template <c>feedback-summary</c>) in <paramref name="language"/>.</summary>
    public async Task<JsonObject> BuildAsync(string? waveId, string? departmentId, string language, CancellationToken cancellationToken)
    {
        var summary = await ComputeAsync(waveId, departmentId, cancellationToken);
        return Render(summary, language);
    }

    /// <summary>
    /// The summary for the lead command <c>feedback [wave|department]</c>: no argument gives all waves, a wave id that wave,
    /// a department id that department (ids compared without case). Null when the argument is neither.
    /// </summary>
    public async Task<JsonObject?> BuildForTargetAsync(string? target, string language, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return await BuildAsync(null, null, language, cancellationToken);
        }
        var plan = plans.Current;
        if (plan?.Waves.FirstOrDefault(w => string.Equals(w.Id, target, StringComparison.OrdinalIgnoreCase)) is { } wave)
        {
            return await BuildAsync(wave.Id, null, language, cancellationToken);
        }
        if (plan?.Departments.FirstOrDefault(d => string.Equals(d.Id, target, StringComparison.OrdinalIgnoreCase)) is { } department)
        {
            return await BuildAsync(null, department.Id, language, cancellationToken);
        }
        return null;
    }

    /// <summary>Renders computed figures as the summary card.</summary>
    public JsonObject Render(FeedbackSummary summary, string language)
    {
        var lang = CardStrings.IsSupported(language) ? language.ToLowerInvariant() : "en";
        var strings = CardStrings.All(lang);
        var culture = CultureInfo.GetCultureInfo(CardViews.S(strings, "language.culture"));
        var plan = plans.Current;
        string T(string key, params (string Name, string Value)[] values) =>
            CardStrings.Text(lang, "feedbackSummary." + key, values.ToDictionary(v => v.Name, v => v.Value));
        string N(int n) => n.ToString("N0", culture);
        string P(double? share) => share is { } s ? s.ToString("P0", culture) : T("unknown");
        string Dept(string? id) => id is null or "" ? T("unknownDepartment")
            : plan?.FindDepartment(id)?.Name.Get(lang, plan.DefaultLanguage) ?? id;

        var scope = summary.WaveId is { } w
            ? T("scopeWave", ("wave", plan?.FindWave(w)?.Name.Get(lang, plan.DefaultLanguage) ?? w))
            : T("scopeAll");
        if (summary.DepartmentId is { } d)
        {
            scope += " · " + Dept(d);
        }
        var totals = new List<(string, string)>
        {
            (T("responses"), summary.Recipients is { } r ? T("responsesOf", ("responses", N(summary.Responses)), ("recipients", N(r)), ("rate", P(summary.ResponseRate))) : N(summary.Responses)),
            (T("nonResponders"), summary.NonResponders is { } nr ? N(nr) : T("unknown")),
            (T("averageRating"), summary.AverageRating is { } avg ? avg.ToString("0.0", culture) + " / 5" : T("unknown")),
            (T("successRate"), P(summary.SuccessRate)),
        };
        var max = Math.Max(1, summary.RatingCounts.Max());
        var ratings = Enumerable.Range(1, 5).Reverse().Select(r =>
        {
            var count = summary.RatingCounts[r - 1];
            var share = summary.Responses > 0 ? (double)count / summary.Responses : 0;
            var bar = new string('█', (int)Math.Round(10.0 * count / max));
            return (CardViews.S(strings, $"survey.rating{r}"), $"{N(count)} ({share.ToString("P0", culture)}) {bar}".TrimEnd());
        });
        var success = new[] { ("Yes", summary.SuccessYes), ("Partly", summary.SuccessPartly), ("No", summary.SuccessNo) }
            .Select(s => (CardViews.S(strings, $"survey.success{s.Item1}"), N(s.Item2)));
        var problems = summary.TopProblems.Select(p =>
            (CardViews.S(strings, "survey.problem" + (p.Problem == "signin" ? "SignIn" : char.ToUpperInvariant(p.Problem[0]) + p.Problem[1..])), N(p.Count)));
        var comments = summary.RecentComments.Select(c => (JsonNode?)new JsonObject
        {
            ["text"] = "“" + (c.Text.Length > MaxCommentChars ? c.Text[..MaxCommentChars] + "…" : c.Text) + "”",
            ["by"] = $"{c.Author ?? T("anonymous")} · {Dept(c.DepartmentId)} · {(plan is null ? c.At : TimeZoneInfo.ConvertTime(c.At, plan.TimeZone)).ToString(CardViews.S(strings, "language.dateFormat"), culture)}",
        });
        var departments = summary.Departments.Select(f => (JsonNode?)new JsonObject
        {
            ["name"] = Dept(f.DepartmentId),
            ["responses"] = f.Recipients is { } rec ? $"{N(f.Responses)} / {N(rec)}" : N(f.Responses),
            ["rate"] = P(f.ResponseRate),
            ["nonResponders"] = f.NonResponders is { } n ? N(n) : T("unknown"),
        });
        var sync = !summary.SharePointEnabled ? T("syncOff")
            : summary.Sync.Pending + summary.Sync.Failing == 0 ? T("syncDone")
            : T("syncWaiting", ("count", N(summary.Sync.Pending + summary.Sync.Failing)));
        var sources = summary.Departments.Select(f => f.Source).Distinct().ToList();
        var source = sources.Contains(SurveyRecipientSource.Delivered) && sources.Count == 1 ? T("sourceDelivered")
            : sources.Contains(SurveyRecipientSource.PlanExpectedSize) || sources.Contains(SurveyRecipientSource.Unknown) ? T("sourceExpected")
            : T("sourceMembers");

        var root = new JsonObject
        {
            ["lang"] = lang,
            ["strings"] = strings,
            ["view"] = new JsonObject
            {
                ["rollout"] = plan?.Name ?? "",
                ["title"] = T("title"),
                ["scope"] = scope,
                ["totals"] = Facts(totals),
                ["departments"] = new JsonArray([.. departments]),
                ["hasDepartments"] = summary.Departments.Count > 0,
                ["ratings"] = Facts(ratings),
                ["success"] = Facts(success),
                ["problems"] = Facts(problems),
                ["hasProblems"] = summary.TopProblems.Count > 0,
                ["comments"] = new JsonArray([.. comments]),
                ["hasComments"] = summary.RecentComments.Count > 0,
                ["syncText"] = sync,
                ["sourceText"] = source,
            },
        };
        var template = CardResources.Load("Cards/Templates/feedback-summary.json")
            ?? throw new InvalidOperationException("Card template Cards/Templates/feedback-summary.json is not embedded in the build.");
        var card = (JsonObject)CardTemplate.Expand(template, root)!;
        if (summary.Replies is { } figures && card["body"] is JsonArray body)
        {
            // Thread replies go just before the two closing lines (SharePoint state, recipient source).
            body.Insert(Math.Max(0, body.Count - 2), Replies.ThreadReplySummary.Section(figures, lang, Dept, plan?.TimeZone));
        }
        return card;
    }

    /// <summary>
    /// Every current answer as CSV (<see cref="Csv"/>: RFC 4180, UTF-8 with BOM so Excel reads accents; cells starting
    /// with = + - @ get a leading apostrophe so a spreadsheet never runs them as formulas).
    /// Name and id of the respondent only when they consented to contact.
    /// </summary>
    public async Task<byte[]> ExportCsvAsync(CancellationToken cancellationToken) => (await ExportAsync(cancellationToken)).Bytes;

    /// <summary>The CSV export (see <see cref="ExportCsvAsync"/>) and its number of data rows.</summary>
    public async Task<FeedbackExport> ExportAsync(CancellationToken cancellationToken)
    {
        var answers = await store.ListAsync(null, null, cancellationToken);
        var rows = new List<IReadOnlyList<string?>>();
        void Row(IReadOnlyList<string?> cells) => rows.Add(cells);
        string[] header = ["survey_id", "wave_id", "department_id", "first_submitted_at", "updated_at", "version", "rating", "success", "platform",
            "duration", "problems", "comment", "contact_consent", "respondent_name", "respondent_id", "sharepoint_item_id", "sharepoint_synced", "feedback_type"];
        foreach (var a in answers.OrderBy(a => a.FirstSubmittedAt).ThenBy(a => a.Respondent.AadObjectId, StringComparer.Ordinal))
        {
            Row([
                a.Placement.SurveyId, a.Placement.WaveId, a.Placement.DepartmentId,
                Iso(a.FirstSubmittedAt), Iso(a.UpdatedAt), a.Version.ToString(CultureInfo.InvariantCulture),
                a.Answer.Rating.ToString(CultureInfo.InvariantCulture), a.Answer.Success, a.Answer.Platform, a.Answer.Duration,
                string.Join(";", a.Answer.Problems), a.Answer.Comment, a.Answer.Consent ? "true" : "false",
                a.Answer.Consent ? a.Respondent.Name : null, a.Answer.Consent ? a.Respondent.AadObjectId : null,
                a.ListItemId, a.SyncedVersion >= a.Version ? "true" : "false", "survey",
            ]);
        }
        // Thread replies (deleted ones left out): posted openly in the channel, so with their author; the reply text in comment.
        var threadReplies = replyStore is null ? [] : await replyStore.ListAsync(cancellationToken: cancellationToken);
        var listed = replyStore is null ? new Dictionary<string, (string?, bool)>() : await replyStore.SyncStatesAsync(cancellationToken);
        foreach (var r in threadReplies.OrderBy(r => r.CreatedAt).ThenBy(r => r.ReplyId, StringComparer.Ordinal))
        {
            var (itemId, synced) = listed.TryGetValue(r.ReplyId, out var state) ? state : (null, false);
            Row([
                r.MessageId, r.WaveId, r.DepartmentId, Iso(r.CreatedAt), Iso(r.ModifiedAt), r.Version.ToString(CultureInfo.InvariantCulture),
                null, null, null, null, null, r.Text, null, r.AuthorName, r.AuthorAadObjectId, itemId, synced ? "true" : "false", "thread_reply",
            ]);
        }
        return new FeedbackExport(Csv.Write(header, rows), answers.Count + threadReplies.Count);
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Facts(IEnumerable<(string Title, string Value)> facts) =>
        new([.. facts.Select(f => (JsonNode?)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]);
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// CSV exports for leads, handed over with Teams' file consent flow in the personal chat: the bot sends a FileConsentCard;
/// when the lead accepts, Teams creates the file in the lead's OneDrive and sends <c>fileConsent/invoke</c> with an upload
/// URL; the bot PUTs the CSV there and posts a file card. No Graph permission is needed. The manifest must say
/// <c>supportsFiles: true</c>.
/// </summary>
public sealed class ExportService(
    PlanProvider plans,
    IWaveControl waves,
    FeedbackSummaryService feedback,
    IAuditLog audit,
    Conversations.ReplySender replies,
    IHttpClientFactory httpClients,
    IDeliveryStore deliveries,
    CommandTexts texts,
    [FromKeyedServices(CommandsClock.Key)] TimeProvider time,
    ILogger<ExportService> logger)
{
    public const string ConsentContentType = "application/vnd.microsoft.teams.card.file.consent";
    public const string FileInfoContentType = "application/vnd.microsoft.teams.card.file.info";
    public const string UploadClient = "TeamsFileUpload";

    public static IReadOnlyList<string> DeliveryHeaders { get; } =
        ["wave", "message", "department", "audience", "planned_local", "planned_utc", "wave_state", "delivery_state", "detail",
            "route", "recipient", "outcome", "reason", "attempts", "queued_utc", "updated_utc", "in_plan"];

    /// <summary><c>export feedback|deliveries</c>: a file consent card in personal chat; in a channel a pointer to the personal chat.</summary>
    public async Task<CommandReply> RequestAsync(CommandContext context, RolloutPlan plan, string kind, CancellationToken cancellationToken)
    {
        var language = context.Language;
        if (!context.IsPersonal)
        {
            return CommandReply.Message(texts.Format(language, "export.channel", kind));
        }
        var (bytes, rows) = await BuildAsync(plan, kind, cancellationToken);
        var name = FileName(kind);
        var description = texts.Format(language, "export.description", texts.Get(language, "export.kind." + kind), plan.Name, rows);
        var exportContext = new JsonObject { ["kind"] = kind };
        var attachment = new Attachment
        {
            ContentType = ConsentContentType,
            Name = name,
            Content = new JsonObject
            {
                ["description"] = description,
                ["sizeInBytes"] = bytes.Length,
                ["acceptContext"] = exportContext,
                ["declineContext"] = exportContext.DeepClone(),
            },
        };
        await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, "export " + kind, AuditResults.AwaitingConfirmation,
            $"{rows} row(s), file consent card sent", cancellationToken);
        return new CommandReply(texts.Format(language, "export.ready", description), Attachment: attachment);
    }

    /// <summary>The lead accepted or declined the file: upload, then post the file card.</summary>
    public async Task<InvokeResponse> OnFileConsentAsync(Activity activity, CommandContext context, CancellationToken cancellationToken)
    {
        var language = context.Language;
        // The file consent card's answer: value { action: accept|decline, context { kind }, uploadInfo { uploadUrl, ... } }.
        if (InvokePayload.Read(activity.Value, CommandsJsonContext.Default.FileConsentValue) is not { } value)
        {
            return BadRequest(language, "value");
        }
        var action = value.Action;
        if (action is not ("accept" or "decline"))
        {
            return BadRequest(language, "value.action");
        }
        var kind = value.Context?.Kind;
        if (kind is not ("feedback" or "deliveries"))
        {
            return BadRequest(language, "value.context.kind");
        }
        if (!context.Lead.IsLead)
        {
            await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, "export " + kind, AuditResults.Refused, "not a lead: " + context.Lead.Reason, cancellationToken);
            Log.Refused(logger, "export " + kind, context.UserId, context.Lead.Reason);
            return new InvokeResponse(200);
        }
        if (action != "accept")
        {
            await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, "export " + kind, AuditResults.Declined, null, cancellationToken);
            await ReplyAsync(activity, Activity.CreateMessage(texts.Get(language, "export.declined")), cancellationToken);
            return new InvokeResponse(200);
        }
        if (value.UploadInfo is not { UploadUrl: { } uploadUrl } upload
            || !Uri.TryCreate(uploadUrl, UriKind.Absolute, out var uploadUri)
            || !(uploadUri.Scheme == Uri.UriSchemeHttps || (uploadUri.Scheme == Uri.UriSchemeHttp && uploadUri.IsLoopback)))
        {
            return BadRequest(language, "value.uploadInfo.uploadUrl");
        }
        if (plans.Current is not { } plan)
        {
            await ReplyAsync(activity, Activity.CreateMessage(texts.Get(language, "noplan")), cancellationToken);
            return new InvokeResponse(200);
        }

        var (bytes, rows) = await BuildAsync(plan, kind, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUri) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, Math.Max(0, bytes.Length - 1), bytes.Length);
        HttpResponseMessage? response = null;
        try
        {
            response = await httpClients.CreateClient(UploadClient).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Reported below as a failed upload.
        }
        using (response)
        {
            if (response is not { IsSuccessStatusCode: true })
            {
                Log.UploadFailed(logger, (int?)response?.StatusCode ?? 0);
                await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, "export " + kind, AuditResults.Failed, "upload failed", cancellationToken);
                await ReplyAsync(activity, Activity.CreateMessage(texts.Get(language, "export.failed")), cancellationToken);
                return new InvokeResponse(200);
            }
        }

        var fileCard = new Activity
        {
            Type = ActivityTypes.Message,
            Text = texts.Format(language, "export.uploaded", upload.Name ?? FileName(kind), rows),
            Attachments =
            [
                new Attachment
                {
                    ContentType = FileInfoContentType,
                    ContentUrl = upload.ContentUrl,
                    Name = upload.Name ?? FileName(kind),
                    Content = new JsonObject { ["uniqueId"] = upload.UniqueId, ["fileType"] = upload.FileType ?? "csv" },
                },
            ],
        };
        await ReplyAsync(activity, fileCard, cancellationToken);
        await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, "export " + kind, AuditResults.Done, $"{rows} row(s) uploaded", cancellationToken);
        return new InvokeResponse(200);
    }

    /// <summary>The CSV bytes and the number of data rows.</summary>
    public async Task<(byte[] Bytes, int Rows)> BuildAsync(RolloutPlan plan, string kind, CancellationToken cancellationToken)
    {
        if (kind == "feedback")
        {
            // The feedback feature's export: one row per respondent, names only with their consent.
            var export = await feedback.ExportAsync(cancellationToken);
            return (export.Bytes, export.Rows);
        }
        var statuses = new Dictionary<string, WaveStatus>();
        foreach (var wave in plan.Waves)
        {
            statuses[wave.Id] = await waves.GetStatusAsync(wave, cancellationToken);
        }
        // One row per recipient and route from the delivery log; a planned send without jobs yet is one row of its own.
        var jobs = (await deliveries.GetDeliveriesAsync(null, cancellationToken)).ToLookup(j => j.SendKey, StringComparer.Ordinal);
        var rows = new List<IReadOnlyList<string?>>();
        var inPlan = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in PlanLookup.Effective(plan, statuses))
        {
            inPlan.Add(s.Key);
            var planned = new PlannedColumns(s.WaveId, s.MessageId, s.DepartmentId, s.Audience, s.Local, s.Utc, statuses[s.WaveId].State.ToString().ToLowerInvariant(), s.TimeAdjustment, "yes");
            if (jobs[s.Key].Any())
            {
                rows.AddRange(jobs[s.Key].Select(j => JobRow(planned, j)));
                continue;
            }
            var record = await deliveries.FindSendAsync(s.Key, cancellationToken);
            var deliveryState = record is null ? "not registered yet"
                : record.State == PlannedSendState.Expanded ? $"expanded ({record.JobCount} job(s))"
                : record.State.ToString().ToLowerInvariant();
            rows.Add(Row(planned, null, deliveryState, null, string.Join("; ", new[] { record?.Detail, s.TimeAdjustment }.Where(d => !string.IsNullOrEmpty(d)))));
        }
        // Sent jobs of sends the plan no longer has (a removed message, wave or department) and of "send … now" requests.
        foreach (var group in jobs.Where(g => !inPlan.Contains(g.Key)))
        {
            var record = await deliveries.FindSendAsync(group.Key, cancellationToken);
            var nowSuffix = group.Key.IndexOf("/now-", StringComparison.Ordinal);
            var first = group.First();
            var due = record?.Send.DueUtc;
            var planned = new PlannedColumns(first.WaveId, first.MessageId, first.DepartmentId, record?.Send.Audience,
                due is { } utc ? CommandFormat.Local(plan, utc) : null, due, statuses.TryGetValue(first.WaveId, out var status) ? status.State.ToString().ToLowerInvariant() : "not in plan",
                nowSuffix > 0 ? "send now" : null, nowSuffix > 0 && inPlan.Contains(group.Key[..nowSuffix]) ? "send now" : "no");
            rows.AddRange(group.Select(j => JobRow(planned, j)));
        }
        return (Csv.Write(DeliveryHeaders, rows), rows.Count);
    }

    /// <summary>What a deliveries row says about the planned send it belongs to.</summary>
    private sealed record PlannedColumns(string WaveId, string MessageId, string DepartmentId, SendAudience? Audience, DateTimeOffset? Local, DateTimeOffset? Utc,
        string WaveState, string? TimeAdjustment, string InPlan);

    private static IReadOnlyList<string?> JobRow(PlannedColumns planned, DeliveryLogEntry job) =>
        Row(planned, job, job.State.ToString().ToLowerInvariant(), job.State is JobState.Failed or JobState.Skipped ? ReasonOf(job.Outcome) : null,
            string.Join("; ", new[] { job.Detail, planned.TimeAdjustment }.Where(d => !string.IsNullOrEmpty(d))));

    private static IReadOnlyList<string?> Row(PlannedColumns planned, DeliveryLogEntry? job, string deliveryState, string? reason, string detail) =>
    [
        planned.WaveId, planned.MessageId, planned.DepartmentId, planned.Audience?.ToString().ToLowerInvariant(),
        planned.Local?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Utc(planned.Utc), planned.WaveState, deliveryState, detail,
        job is null ? null : RouteOf(job.Kind), job?.Target, job?.Outcome?.ToString().ToLowerInvariant(), reason,
        job?.Attempts.ToString(CultureInfo.InvariantCulture), Utc(job?.CreatedUtc), Utc(job?.UpdatedUtc), planned.InPlan,
    ];

    private static string? Utc(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RouteOf(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Channel => "channel",
        DeliveryKind.Personal => "1:1",
        _ => "e-mail",
    };

    /// <summary>The reason of a failed or skipped job, in English like the rest of the file.</summary>
    private static string ReasonOf(DeliveryOutcome? outcome) => CardStrings.Text("en", "commands.deliveries.reason" + (outcome?.ToString() ?? "Unknown"));

    private string FileName(string kind) =>
        $"rollout-{kind}-{time.GetUtcNow().ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture)}.csv";

    // A reply that fails inside the request is queued and retried by the ReplySender, never awaited here.
    private async Task ReplyAsync(Activity inbound, Activity reply, CancellationToken cancellationToken) =>
        await replies.ReplyAsync(inbound, reply, cancellationToken, asReply: false);

    private InvokeResponse BadRequest(string language, string field)
    {
        Log.InvokeRefused(logger, "fileConsent/invoke", field + " missing or not valid");
        return InvokeResponse.BadRequest(texts.Format(language, "invoke.badRequest", field));
    }
}

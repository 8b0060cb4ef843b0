using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        ["wave", "message", "department", "audience", "planned_local", "planned_utc", "wave_state", "delivery_state", "detail"];

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
        // The delivery engine's record of each planned send (same key).
        var rows = new List<IReadOnlyList<string?>>();
        foreach (var s in PlanLookup.Effective(plan, statuses))
        {
            var record = await deliveries.FindSendAsync(s.Key, cancellationToken);
            var deliveryState = record is null ? "not registered yet"
                : record.State == PlannedSendState.Expanded ? $"expanded ({record.JobCount} job(s))"
                : record.State.ToString().ToLowerInvariant();
            rows.Add(
            [
                s.WaveId, s.MessageId, s.DepartmentId, s.Audience.ToString().ToLowerInvariant(),
                s.Local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                s.Utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                statuses[s.WaveId].State.ToString().ToLowerInvariant(), deliveryState,
                string.Join("; ", new[] { record?.Detail, s.TimeAdjustment }.Where(d => !string.IsNullOrEmpty(d))),
            ]);
        }
        return (Csv.Write(DeliveryHeaders, rows), rows.Count);
    }

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

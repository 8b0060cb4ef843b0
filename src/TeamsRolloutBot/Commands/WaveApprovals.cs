using System.Globalization;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// Approval of a wave's first send when the plan says <c>approval: required</c>. Each scheduler pass
/// (<see cref="PassAsync"/>) sends the leads the approval card <c>approvalAhead</c> before the first send, reminds them
/// at the due time and every <c>Commands:ApprovalReminderInterval</c> (default a day) after while nobody approved, and tells the scheduler which waves wait. A lead approves or
/// holds with the card's buttons or <c>approve &lt;wave&gt;</c>; one approval releases the wave and every lead's card
/// shows who approved and when. The approval is for the first message's content (its fingerprint): an edit of that
/// message before it is sent makes the approval lapse and sends a new card. Every step is audited.
/// </summary>
public sealed partial class WaveApprovals(
    IApprovalStore approvals,
    PlanProvider plans,
    DeliveryPlanSource deliveryPlans,
    Storage.IDeliveryStore deliveries,
    LeadMessenger leads,
    IWaveControl waves,
    MessagePreview preview,
    IAuditLog audit,
    CommandTexts texts,
    ConnectorClient connector,
    TimeProvider time,
    ILogger<WaveApprovals> logger,
    Microsoft.Extensions.Options.IOptions<CommandsOptions> options)
{
    /// <summary>The card's template in Cards/Templates.</summary>
    public const string Template = "lead-approval";

    public const string ApproveVerb = "approval.approve";
    public const string HoldVerb = "approval.hold";

    private const string BotActor = "rollout bot";

    /// <summary>One scheduler pass over the waves that need approval: cards ahead, reminders when due, and which waves wait.</summary>
    public async Task<ApprovalVerdicts> PassAsync(DeliveryPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (plan.ApprovalAhead is not { Count: > 0 } required)
        {
            return ApprovalVerdicts.None;
        }
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        var approvedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (waveId, ahead) in required)
        {
            if (FirstSends(plan, waveId) is not { Count: > 0 } first)
            {
                continue;
            }
            var due = first[0].DueUtc;
            var fingerprint = FingerprintOf(waveId, first);
            var record = await CurrentAsync(waveId, fingerprint, first, cancellationToken);
            if (record is { IsApproved: true })
            {
                approvedAt[waveId] = record.DecidedAt ?? now;
                continue;
            }
            waiting.Add(waveId);
            if (now < due - ahead)
            {
                continue;
            }
            record ??= new WaveApproval(waveId, fingerprint, WaveApproval.Pending, null, null, null, null, null, null, 0);
            // Not one lead reached (their chat not known yet, Teams not answering): the card is tried again next pass.
            if (record.CardsSentAt is null && await SendCardsAsync(plan, waveId, due, record, cancellationToken) is { Length: > 0 } cards)
            {
                var sent = record with { CardsSentAt = now, Cards = cards };
                if (!await approvals.TrySaveAsync(sent, record.Version, cancellationToken))
                {
                    continue;
                }
                record = await approvals.FindAsync(waveId, cancellationToken) ?? sent;
                var cardCount = CountCards(cards);
                await audit.WriteAsync(null, BotActor, null, "approval " + waveId, AuditResults.ApprovalCardSent,
                    $"first send due {due:u}; {cardCount} lead card(s)", cancellationToken);
                LogCardsSent(logger, waveId, cardCount);
            }
            if (now >= due && (record.RemindedAt is not { } last || now - last >= options.Value.ApprovalReminderInterval))
            {
                var told = await RemindAsync(plan, waveId, due, cancellationToken);
                if (await approvals.TrySaveAsync(record with { RemindedAt = now, Reminders = record.Reminders + 1 }, record.Version, cancellationToken))
                {
                    await audit.WriteAsync(null, BotActor, null, "approval " + waveId, AuditResults.ApprovalReminderSent,
                        $"reminder {record.Reminders + 1}: first send due {due:u} waits; {told} lead(s) told", cancellationToken);
                    var reminders = record.Reminders + 1;
                    LogReminded(logger, waveId, reminders);
                }
            }
        }
        return new ApprovalVerdicts(waiting, approvedAt);
    }

    /// <summary>A lead approves (<paramref name="approve"/>) or holds a wave, from the card or <c>approve &lt;wave&gt;</c>; every lead's card is updated.</summary>
    public async Task<CommandReply> DecideAsync(CommandContext context, RolloutPlan plan, string waveId, bool approve, bool fromCard, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var command = (approve ? "approve " : "hold ") + waveId;
        if (PlanLookup.FindWave(plan, waveId) is not { } wave)
        {
            return PlanLookup.UnknownWave(texts, language, plan, waveId);
        }
        var name = wave.Name.Get(language, plan.DefaultLanguage);
        var delivery = await deliveryPlans.CurrentAsync(cancellationToken);
        if (!wave.ApprovalRequired || delivery is null || FirstSends(delivery, wave.Id) is not { Count: > 0 } first)
        {
            await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, AuditResults.Failed, "the wave needs no approval", cancellationToken);
            return CommandReply.Message(texts.Format(language, "approval.notRequired", name));
        }
        var fingerprint = FingerprintOf(wave.Id, first);
        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var record = await CurrentAsync(wave.Id, fingerprint, first, cancellationToken);
            if (record is { IsApproved: true })
            {
                await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command, AuditResults.Failed,
                    "already approved by " + record.DecidedByName, cancellationToken);
                var already = texts.Format(language, "approval.alreadyApproved", name, record.DecidedByName ?? record.DecidedBy ?? "", Time(Local(plan, record.DecidedAt ?? now)));
                return fromCard ? Card(plan, delivery, wave, first[0].DueUtc, record, language, await CountAsync(wave, cancellationToken)) : CommandReply.Message(already);
            }
            var decided = (record ?? new WaveApproval(wave.Id, fingerprint, WaveApproval.Pending, null, null, null, null, null, null, 0)) with
            {
                State = approve ? WaveApproval.Approved : WaveApproval.Held,
                DecidedBy = context.UserId,
                DecidedByName = context.UserName,
                DecidedAt = now,
            };
            if (await approvals.TrySaveAsync(decided, record?.Version, cancellationToken))
            {
                await audit.WriteAsync(context.UserId, context.UserName, context.ConversationType, command,
                    approve ? AuditResults.Approved : AuditResults.Held,
                    $"first send due {first[0].DueUtc:u}, first message {string.Join(", ", first.Select(s => s.MessageId).Distinct())}, by {(fromCard ? "card" : "command")}", cancellationToken);
                LogDecided(logger, wave.Id, approve ? "approved" : "held", context.UserId);
                var count = await CountAsync(wave, cancellationToken);
                await UpdateCardsAsync(plan, delivery, wave, first[0].DueUtc, decided, count, cancellationToken);
                return fromCard
                    ? Card(plan, delivery, wave, first[0].DueUtc, decided, language, count)
                    : CommandReply.Message(texts.Format(language, approve ? "approval.approved" : "approval.held", name, wave.Id));
            }
            if (attempt == 10)
            {
                throw new InvalidOperationException($"The approval of wave {wave.Id} kept changing while it was being saved.");
            }
        }
    }

    /// <summary>
    /// Where a wave's approval stands in <paramref name="language"/> ("waits for approval (card sent …)", "held by … on …",
    /// "approved by … on …"), for <c>status</c> and <c>send … now</c>; null when the plan asks no approval for the wave.
    /// </summary>
    public static string? StateText(CommandTexts texts, string language, RolloutPlan plan, Wave wave, WaveApproval? record)
    {
        if (!wave.ApprovalRequired)
        {
            return null;
        }
        var by = record?.DecidedByName ?? record?.DecidedBy ?? "";
        var at = record?.DecidedAt is { } decided ? Time(Local(plan, decided)) : "";
        return record?.State switch
        {
            WaveApproval.Approved => texts.Format(language, "status.approval.approved", by, at),
            WaveApproval.Held => texts.Format(language, "status.approval.held", by, at),
            _ when record?.CardsSentAt is { } sent => texts.Format(language, "status.approval.waiting", Time(Local(plan, sent))),
            _ => texts.Get(language, "status.approval.waiting.no.card"),
        };
    }

    /// <summary>The wave's stored approval for the current first message; an approval of other content lapses unless the first send already went out.</summary>
    private async Task<WaveApproval?> CurrentAsync(string waveId, string fingerprint, IReadOnlyList<PlannedSend> first, CancellationToken cancellationToken)
    {
        var record = await approvals.FindAsync(waveId, cancellationToken);
        if (record is null || record.Fingerprint == fingerprint)
        {
            return record;
        }
        foreach (var send in first)
        {
            if ((await deliveries.FindSendAsync(send.Key, cancellationToken))?.State is { } state && state != PlannedSendState.Pending)
            {
                // The wave already runs: an edit of its first message reaches later sends only (docs/plan-format.md).
                return record;
            }
        }
        var reset = new WaveApproval(waveId, fingerprint, WaveApproval.Pending, null, null, null, null, null, null, 0);
        if (!await approvals.TrySaveAsync(reset, record.Version, cancellationToken))
        {
            return await approvals.FindAsync(waveId, cancellationToken);
        }
        await audit.WriteAsync(null, BotActor, null, "approval " + waveId, AuditResults.ApprovalReset,
            $"the first message changed before it was sent; the {record.State} of {record.DecidedByName ?? "nobody"} no longer applies", cancellationToken);
        LogReset(logger, waveId);
        return await approvals.FindAsync(waveId, cancellationToken);
    }

    /// <summary>The wave's first sends (every department and route due at its earliest instant), without <c>send … now</c> requests.</summary>
    private static List<PlannedSend> FirstSends(DeliveryPlan plan, string waveId)
    {
        var sends = plan.Sends.Where(s => s.WaveId == waveId && !s.Key.Contains("/now-", StringComparison.Ordinal)).ToList();
        if (sends.Count == 0)
        {
            return sends;
        }
        var due = sends.Min(s => s.DueUtc);
        return [.. sends.Where(s => s.DueUtc == due)];
    }

    private string FingerprintOf(string waveId, IReadOnlyList<PlannedSend> first)
    {
        var messages = first.Select(s => s.MessageId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var wave = plans.Current?.FindWave(waveId);
        return string.Join(";", messages.Select(id => id + "=" + (wave?.EffectiveMessages.FirstOrDefault(m => m.Id == id)?.Fingerprint ?? "")));
    }

    private Task<RecipientCount> CountAsync(Wave wave, CancellationToken cancellationToken) =>
        plans.Current is { } plan
            ? waves.CountRecipientsAsync(wave.EffectiveMessages, PlanLookup.Departments(plan, wave), cancellationToken)
            : Task.FromResult(new RecipientCount(0, 0, false, []));

    private async Task<string> SendCardsAsync(DeliveryPlan plan, string waveId, DateTimeOffset due, WaveApproval record, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (plans.Current is not { } rollout || rollout.FindWave(waveId) is not { } wave)
        {
            return "";
        }
        var count = await CountAsync(wave, cancellationToken);
        foreach (var lead in await leads.LeadsAsync(plan, cancellationToken))
        {
            var language = await leads.LanguageOfAsync(plan, lead, cancellationToken);
            var reply = Card(rollout, plan, wave, due, record, language, count);
            if (await leads.SendAsync(lead, reply.ToActivity(), cancellationToken) is { } sent)
            {
                lines.Add(string.Join('\t', lead, sent.Conversation.ServiceUrl, sent.Conversation.ConversationId, sent.ActivityId, language));
            }
        }
        return string.Join('\n', lines);
    }

    private async Task<int> RemindAsync(DeliveryPlan plan, string waveId, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var told = 0;
        var rollout = plans.Current;
        foreach (var lead in await leads.LeadsAsync(plan, cancellationToken))
        {
            var language = await leads.LanguageOfAsync(plan, lead, cancellationToken);
            var name = rollout?.FindWave(waveId)?.Name.Get(language, rollout.DefaultLanguage) ?? waveId;
            var when = rollout is null ? due.ToString("u", CultureInfo.InvariantCulture) : Time(Local(rollout, due));
            var text = texts.Format(language, "approval.reminder", name, when, waveId);
            if (await leads.SendAsync(lead, Activity.CreateMessage(text), cancellationToken) is not null)
            {
                told++;
            }
        }
        return told;
    }

    private async Task UpdateCardsAsync(RolloutPlan plan, DeliveryPlan delivery, Wave wave, DateTimeOffset due, WaveApproval decided, RecipientCount count, CancellationToken cancellationToken)
    {
        foreach (var line in (decided.Cards ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length != 5)
            {
                continue;
            }
            var card = Card(plan, delivery, wave, due, decided, parts[4], count);
            var result = await connector.UpdateActivityAsync(parts[1], parts[2], parts[3], card.ToActivity(), cancellationToken);
            if (!result.IsSuccess)
            {
                LogCardUpdateFailed(logger, wave.Id, parts[0], result.Outcome);
            }
        }
    }

    /// <summary>The approval card in <paramref name="language"/>: open (buttons), held (Approve only) or approved (no buttons).</summary>
    private CommandReply Card(RolloutPlan plan, DeliveryPlan delivery, Wave wave, DateTimeOffset due, WaveApproval record, string language, RecipientCount count)
    {
        var name = wave.Name.Get(language, plan.DefaultLanguage);
        var people = count.Exact
            ? texts.Format(language, "confirm.people.exact", count.People)
            : texts.Format(language, "confirm.people.estimate", count.People, string.Join(", ", count.UncountedDepartments));
        var schedule = delivery.Sends.Where(s => s.WaveId == wave.Id && !s.Key.Contains("/now-", StringComparison.Ordinal))
            .GroupBy(s => s.MessageId, StringComparer.Ordinal)
            .Select(g => (Message: g.Key, Due: g.Min(s => s.DueUtc)))
            .OrderBy(x => x.Due)
            .Select(x => texts.Format(language, "approval.scheduleLine", x.Message, Time(Local(plan, x.Due))));
        var decidedAt = record.DecidedAt is { } at ? Time(Local(plan, at)) : "";
        var view = new JsonObject
        {
            ["title"] = texts.Format(language, record.State switch
            {
                WaveApproval.Approved => "approval.titleApproved",
                WaveApproval.Held => "approval.titleHeld",
                _ => "approval.title",
            }, name),
            ["question"] = texts.Format(language, "approval.question", name),
            ["firstSend"] = Time(Local(plan, due)),
            ["people"] = people,
            ["channelPosts"] = count.ChannelPosts.ToString(CultureInfo.InvariantCulture),
            ["schedule"] = string.Join("\n\n", schedule),
            ["decidedShown"] = record.State != WaveApproval.Pending,
            ["decided"] = record.State switch
            {
                WaveApproval.Approved => texts.Format(language, "approval.approvedBy", record.DecidedByName ?? record.DecidedBy ?? "", decidedAt),
                WaveApproval.Held => texts.Format(language, "approval.heldBy", record.DecidedByName ?? record.DecidedBy ?? "", decidedAt),
                _ => "",
            },
            ["decidedColor"] = record.State == WaveApproval.Approved ? "good" : "attention",
            ["waveId"] = wave.Id,
            ["open"] = record.State != WaveApproval.Approved,
            ["holdable"] = record.State == WaveApproval.Pending,
            ["hasPreview"] = false,
            ["previewShown"] = false,
            ["previewFailedShown"] = false,
        };
        var firstMessage = delivery.Sends.Where(s => s.WaveId == wave.Id && s.DueUtc == due).Select(s => s.MessageId).FirstOrDefault();
        if (wave.EffectiveMessages.FirstOrDefault(m => m.Id == firstMessage) is { } message)
        {
            view["hasPreview"] = true;
            try
            {
                view["preview"] = preview.Render(plan, message, wave, wave.DepartmentIds.Select(plan.FindDepartment).FirstOrDefault(d => d is not null), language);
                view["previewShown"] = true;
            }
            catch (Exception ex) when (ex is CardTemplateException or ArgumentException)
            {
                view["previewFailed"] = texts.Format(language, "preview.failed", message.Id, ex.Message);
                view["previewFailedShown"] = true;
            }
        }
        return CommandReply.FromCard(CommandCards.FromTemplate(Template, language, view), texts.Format(language, "approval.summary", name));
    }

    private static int CountCards(string cards) => cards.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [LoggerMessage(EventId = 6741, Level = LogLevel.Information, Message = "Wave {Wave}: approval card sent to {Leads} lead(s).")]
    private static partial void LogCardsSent(ILogger logger, string wave, int leads);

    [LoggerMessage(EventId = 6742, Level = LogLevel.Warning, Message = "Wave {Wave} waits for approval; leads reminded (reminder {Count}).")]
    private static partial void LogReminded(ILogger logger, string wave, int count);

    [LoggerMessage(EventId = 6743, Level = LogLevel.Information, Message = "Wave {Wave}: {Decision} by {User}.")]
    private static partial void LogDecided(ILogger logger, string wave, string decision, string user);

    [LoggerMessage(EventId = 6744, Level = LogLevel.Warning, Message = "Wave {Wave}: the first message changed before it was sent; its approval lapsed and a new card goes out.")]
    private static partial void LogReset(ILogger logger, string wave);

    [LoggerMessage(EventId = 6745, Level = LogLevel.Warning, Message = "Wave {Wave}: updating lead {Lead}'s approval card failed ({Outcome}).")]
    private static partial void LogCardUpdateFailed(ILogger logger, string wave, string lead, ConnectorOutcome outcome);
}

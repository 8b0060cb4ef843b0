using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Recipients;
using TeamsRolloutBot.Storage;
using static TeamsRolloutBot.Commands.CommandFormat;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// <c>deliveries ‹person|department|wave› [failed]</c> and <c>deliveries retry ‹wave›</c>: where each message went, one line
/// per recipient and route, read from the delivery log (so sends of messages no longer in the plan show too); the failures
/// grouped by reason, with a Retry button for those worth retrying. A retry queues just those jobs again, once per retry id.
/// </summary>
public sealed partial class DeliveriesCommands(
    IDeliveryStore store,
    GraphGateway graph,
    RecipientResolver recipients,
    CommandAudit audit,
    CommandTexts texts,
    TimeProvider deliveryTime,
    ILogger<DeliveriesCommands> logger)
{
    /// <summary>The verb of the Retry button; data <c>{ scope, retryId }</c>.</summary>
    public const string RetryVerb = "deliveries.retry";

    /// <summary>How many lines a card lists; the rest is counted and left to <c>export deliveries</c>.</summary>
    public const int MaxLines = 25;

    private const string RetryClaimPrefix = "deliveries-retry/";

    /// <summary>Outcomes worth another try: the connector or Graph was briefly unavailable, throttled, or timed out.</summary>
    public static bool IsRetryable(DeliveryLogEntry entry) =>
        entry.State == JobState.Failed && entry.Outcome is DeliveryOutcome.Transient or DeliveryOutcome.Throttled;

    /// <summary>The answer to <c>deliveries ‹target› [failed]</c>.</summary>
    public async Task<CommandReply> ListAsync(CommandContext context, RolloutPlan plan, string target, bool failedOnly, CancellationToken cancellationToken)
    {
        var scope = await ResolveAsync(plan, target, context.Language, cancellationToken);
        if (scope.Error is { } error)
        {
            return CommandReply.Message(error);
        }
        return failedOnly ? Failures(context.Language, plan, scope, banner: null) : List(context.Language, plan, scope);
    }

    /// <summary>
    /// <c>deliveries retry ‹scope›</c> or a Retry button: queues the scope's retryable failures again. <paramref name="retryId"/>
    /// (the button's) is claimed once in the store, so a second click or a repeated invoke queues nothing; a typed command
    /// uses the id of the failures it finds, which a second time are queued or delivered, not failed.
    /// </summary>
    public async Task<CommandReply> RetryAsync(CommandContext context, RolloutPlan plan, string target, string? retryId, bool fromCard, CancellationToken cancellationToken)
    {
        var language = context.Language;
        var scope = await ResolveAsync(plan, target, language, cancellationToken);
        if (scope.Error is { } error)
        {
            return CommandReply.Message(error);
        }
        var retryable = scope.Entries.Where(IsRetryable).ToList();
        var id = retryId ?? RetryId(retryable);
        var command = "deliveries retry " + scope.Command;
        string result;
        if (retryable.Count == 0 && retryId is null)
        {
            result = texts.Get(language, "deliveries.retry.nothing");
        }
        else
        {
            var claim = $"{context.UserName}|{deliveryTime.GetUtcNow().ToUnixTimeMilliseconds()}|{Guid.NewGuid():N}";
            var stored = await store.GetOrAddSettingAsync(RetryClaimPrefix + id, claim, cancellationToken);
            if (stored != claim)
            {
                result = texts.Format(language, "deliveries.retry.already", stored.Split('|')[0]);
            }
            else
            {
                var queued = await store.RequeueFailedAsync([.. retryable.Select(e => e.Key)], deliveryTime.GetUtcNow(), cancellationToken);
                if (queued > 0)
                {
                    await audit.WriteAsync(context, command, AuditResults.Done, $"{queued} recipient(s) queued again", cancellationToken);
                    LogRetried(logger, scope.Command, queued, context.UserId);
                }
                result = queued == 0 ? texts.Get(language, "deliveries.retry.nothing") : texts.Format(language, "deliveries.retry.done", queued);
            }
        }
        if (!fromCard)
        {
            return CommandReply.Message(result);
        }
        // The clicked failures card is replaced by the current one, with the result on top (and no Retry for what is queued now).
        var current = await ResolveAsync(plan, target, language, cancellationToken);
        return Failures(language, plan, current, banner: result);
    }

    private CommandReply List(string language, RolloutPlan plan, Scope scope)
    {
        var entries = scope.Entries;
        var body = new List<JsonNode>
        {
            CommandCards.Title(texts.Format(language, "deliveries.title", scope.Title)),
            CommandCards.Text(Counts(language, entries)),
        };
        if (entries.Count == 0)
        {
            body.Add(CommandCards.Text(texts.Get(language, "deliveries.none"), subtle: true));
        }
        foreach (var entry in entries.OrderByDescending(e => e.UpdatedUtc).Take(MaxLines))
        {
            body.Add(Line(language, plan, scope, entry, withReason: true));
        }
        if (entries.Count > MaxLines)
        {
            body.Add(CommandCards.Text(texts.Format(language, "deliveries.more", MaxLines, entries.Count), subtle: true));
        }
        var actions = new List<JsonNode>();
        if (entries.Any(e => e.State == JobState.Failed))
        {
            actions.Add(CommandCards.RunButton(texts.Get(language, "deliveries.failures.button"), $"deliveries {scope.Command} failed"));
        }
        return CommandReply.FromCard(CommandCards.Card(body, actions), texts.Format(language, "deliveries.title", scope.Title));
    }

    private CommandReply Failures(string language, RolloutPlan plan, Scope scope, string? banner)
    {
        var failed = scope.Entries.Where(e => e.State == JobState.Failed).ToList();
        var retryable = failed.Where(IsRetryable).ToList();
        var title = texts.Format(language, "deliveries.failures.title", scope.Title);
        var body = new List<JsonNode>();
        if (banner is not null)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container", ["style"] = "good",
                ["items"] = new JsonArray(CommandCards.Text(banner)),
            });
        }
        body.Add(CommandCards.Title(title));
        body.Add(CommandCards.Text(failed.Count == 0
            ? texts.Get(language, "deliveries.failures.none")
            : texts.Format(language, "deliveries.failures.summary", failed.Count, retryable.Count)));
        var shown = 0;
        foreach (var group in failed.GroupBy(e => e.Outcome).OrderByDescending(g => g.Count()))
        {
            var worthRetrying = group.Key is DeliveryOutcome.Transient or DeliveryOutcome.Throttled;
            body.Add(CommandCards.Heading(texts.Format(language, worthRetrying ? "deliveries.failures.group.retryable" : "deliveries.failures.group", Reason(language, group.Key), group.Count())));
            foreach (var entry in group.OrderBy(e => e.UpdatedUtc))
            {
                if (shown++ >= MaxLines)
                {
                    break;
                }
                body.Add(Line(language, plan, scope, entry, withReason: false));
            }
        }
        if (failed.Count > MaxLines)
        {
            body.Add(CommandCards.Text(texts.Format(language, "deliveries.more", MaxLines, failed.Count), subtle: true));
        }
        var actions = new List<JsonNode>();
        if (retryable.Count > 0)
        {
            actions.Add(CommandCards.Execute(texts.Format(language, "deliveries.retry.button", retryable.Count), RetryVerb,
                new JsonObject { ["scope"] = scope.Command, ["retryId"] = RetryId(retryable) }, "positive"));
        }
        actions.Add(CommandCards.RunButton(texts.Get(language, "deliveries.all.button"), $"deliveries {scope.Command}"));
        return CommandReply.FromCard(CommandCards.Card(body, actions), title);
    }

    /// <summary>One recipient and route: who, how, which message, what happened and why, when.</summary>
    private JsonObject Line(string language, RolloutPlan plan, Scope scope, DeliveryLogEntry entry, bool withReason)
    {
        var who = entry.Kind == DeliveryKind.Channel
            ? texts.Format(language, "deliveries.channelOf", plan.FindDepartment(entry.DepartmentId)?.Name.Get(language, plan.DefaultLanguage) ?? entry.DepartmentId)
            : scope.Names.TryGetValue(entry.Target, out var name) ? name : entry.Target;
        var outcome = entry.State switch
        {
            JobState.Delivered => texts.Get(language, "deliveries.state.delivered"),
            JobState.Queued => texts.Get(language, "deliveries.state.queued"),
            JobState.Skipped => texts.Get(language, "deliveries.state.skipped"),
            _ => withReason ? texts.Format(language, "deliveries.state.failed", Reason(language, entry.Outcome)) : "",
        };
        // The failures card groups by reason already: there a line shows only the detail Teams or Graph gave.
        var detail = string.IsNullOrEmpty(entry.Detail) || entry.State == JobState.Delivered ? "" : Truncate(entry.Detail, 120);
        var result = outcome.Length == 0 ? detail : detail.Length == 0 ? outcome : $"{outcome} ({detail})";
        var parts = new[] { $"**{who}**", Route(language, entry.Kind), $"`{entry.MessageId}`", result, Time(Local(plan, entry.UpdatedUtc)) }
            .Where(p => p.Trim().Length > 0);
        return CommandCards.Text(string.Join(" · ", parts));
    }

    private string Counts(string language, IReadOnlyList<DeliveryLogEntry> entries) =>
        texts.Format(language, "deliveries.counts", entries.Count, entries.Count(e => e.State == JobState.Delivered), entries.Count(e => e.State == JobState.Failed),
            entries.Count(e => e.State == JobState.Queued), entries.Count(e => e.State == JobState.Skipped));

    /// <summary>The route in <paramref name="language"/>: channel, 1:1 chat, e-mail.</summary>
    public string Route(string language, DeliveryKind kind) => texts.Get(language, "deliveries.route." + kind);

    /// <summary>Why a job failed (its outcome) in <paramref name="language"/>.</summary>
    public string Reason(string language, DeliveryOutcome? outcome) => texts.Get(language, "deliveries.reason." + (outcome?.ToString() ?? "Unknown"));

    /// <summary>One id for one set of failures as they stand: their keys and the time each failed.</summary>
    private static string RetryId(IEnumerable<DeliveryLogEntry> retryable)
    {
        var text = string.Join('\n', retryable.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => e.Key + "@" + e.UpdatedUtc.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>What <paramref name="target"/> names: a wave (id or name), a department (id or name), or a person (e-mail, UPN, object id or name).</summary>
    private async Task<Scope> ResolveAsync(RolloutPlan plan, string target, string language, CancellationToken cancellationToken)
    {
        target = target.Trim();
        if (plan.Waves.FirstOrDefault(w => Matches(w.Id, w.Name, target)) is { } wave)
        {
            var entries = await store.GetDeliveriesAsync(wave.Id, cancellationToken);
            var departments = PlanLookup.Departments(plan, wave).Concat(entries.Select(e => plan.FindDepartment(e.DepartmentId)).OfType<Department>()).DistinctBy(d => d.Id);
            return new Scope(texts.Format(language, "deliveries.scope.wave", wave.Name.Get(language, plan.DefaultLanguage)), wave.Id, entries,
                await NamesAsync(plan, departments, entries, cancellationToken));
        }
        if (plan.Departments.FirstOrDefault(d => Matches(d.Id, d.Name, target)) is { } department)
        {
            var entries = (await store.GetDeliveriesAsync(null, cancellationToken)).Where(e => e.DepartmentId == department.Id).ToList();
            return new Scope(texts.Format(language, "deliveries.scope.department", department.Name.Get(language, plan.DefaultLanguage)), department.Id, entries,
                await NamesAsync(plan, [department], entries, cancellationToken));
        }
        var all = await store.GetDeliveriesAsync(null, cancellationToken);
        // A wave no longer in the plan is still in the delivery log under its id.
        var removedWave = all.Where(e => string.Equals(e.WaveId, target, StringComparison.OrdinalIgnoreCase)).ToList();
        if (removedWave.Count > 0)
        {
            return new Scope(texts.Format(language, "deliveries.scope.wave", removedWave[0].WaveId), removedWave[0].WaveId, removedWave,
                await NamesAsync(plan, [], removedWave, cancellationToken));
        }
        return await PersonAsync(plan, target, language, all, cancellationToken);
    }

    private async Task<Scope> PersonAsync(RolloutPlan plan, string target, string language, IReadOnlyList<DeliveryLogEntry> all, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? name = null;
        if (target.Contains('@', StringComparison.Ordinal) || Guid.TryParse(target, out _))
        {
            ids.Add(target);
            if (graph.IsEnabled)
            {
                try
                {
                    if (await graph.FindUserAsync(target, cancellationToken) is { } user)
                    {
                        ids.UnionWith(new[] { user.Id, user.Mail, user.UserPrincipalName }.OfType<string>());
                        name = user.DisplayName ?? user.UserPrincipalName;
                    }
                }
                catch (GraphCallException ex)
                {
                    LogLookupFailed(logger, ex.Message);
                }
            }
        }
        else
        {
            var people = await PeopleAsync(plan, plan.Departments, cancellationToken);
            var matches = people.Where(p => string.Equals(p.Name, target, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                matches = [.. people.Where(p => p.Name?.Contains(target, StringComparison.OrdinalIgnoreCase) == true)];
            }
            if (matches.Count > 1)
            {
                return Scope.Failed(texts.Format(language, "deliveries.ambiguous", Truncate(target, 40),
                    string.Join(", ", matches.Take(10).Select(p => p.Mail is null ? p.Name! : $"{p.Name} ({p.Mail})"))));
            }
            if (matches is [var person])
            {
                ids.UnionWith(new[] { person.Id, person.Mail }.OfType<string>());
                name = person.Name;
            }
        }
        var entries = all.Where(e => e.Kind != DeliveryKind.Channel && ids.Contains(e.Target)).ToList();
        if (entries.Count == 0 && name is null)
        {
            return Scope.Failed(texts.Format(language, "deliveries.unknown", Truncate(target, 40),
                string.Join(", ", plan.Waves.Select(w => $"`{w.Id}`")), string.Join(", ", plan.Departments.Select(d => $"`{d.Id}`"))));
        }
        var shown = name ?? target;
        return new Scope(texts.Format(language, "deliveries.scope.person", shown), target, entries,
            entries.Select(e => e.Target).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(t => t, _ => shown, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Names for the people in <paramref name="entries"/>, from the departments' members; without them the ids are shown.</summary>
    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(RolloutPlan plan, IEnumerable<Department> departments, IReadOnlyList<DeliveryLogEntry> entries,
        CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!entries.Any(e => e.Kind != DeliveryKind.Channel))
        {
            return names;
        }
        foreach (var person in await PeopleAsync(plan, departments, cancellationToken))
        {
            if (person.Name is { Length: > 0 } name)
            {
                names.TryAdd(person.Id, name);
                if (person.Mail is { } mail)
                {
                    names.TryAdd(mail, name);
                }
            }
        }
        return names;
    }

    private async Task<List<Recipient>> PeopleAsync(RolloutPlan plan, IEnumerable<Department> departments, CancellationToken cancellationToken)
    {
        var people = new List<Recipient>();
        foreach (var d in departments)
        {
            var target = new DepartmentTarget(d.Id, d.Name.Get(plan.DefaultLanguage, plan.DefaultLanguage), d.TeamId, d.ChannelId, d.Members?.GroupId, d.Members?.Users ?? [], d.Language);
            try
            {
                await foreach (var person in recipients.ResolveAsync(target, needMail: true, cancellationToken))
                {
                    people.Add(person);
                }
            }
            catch (Exception ex) when (ex is GraphCallException or ConnectorException or HttpRequestException)
            {
                // Names are a convenience: the list shows ids instead.
                LogLookupFailed(logger, ex.Message);
            }
        }
        return [.. people.DistinctBy(p => p.Id, StringComparer.OrdinalIgnoreCase)];
    }

    private static bool Matches(string id, LocalizedText name, string target) =>
        string.Equals(id, target, StringComparison.OrdinalIgnoreCase) || name.Values.Values.Any(n => string.Equals(n, target, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a deliveries command is about: a title, the target as a command names it, its jobs and the names of their people.</summary>
    private sealed record Scope(string Title, string Command, IReadOnlyList<DeliveryLogEntry> Entries, IReadOnlyDictionary<string, string> Names, string? Error = null)
    {
        public static Scope Failed(string error) => new("", "", [], new Dictionary<string, string>(), error);
    }

    [LoggerMessage(EventId = 1750, Level = LogLevel.Information, Message = "Deliveries of '{Scope}' retried by {UserAadObjectId}: {Count} job(s) queued again")]
    private static partial void LogRetried(ILogger logger, string scope, int count, string userAadObjectId);

    [LoggerMessage(EventId = 1751, Level = LogLevel.Warning, Message = "Looking up recipients for a deliveries answer failed; ids are shown instead of names: {Reason}")]
    private static partial void LogLookupFailed(ILogger logger, string reason);
}

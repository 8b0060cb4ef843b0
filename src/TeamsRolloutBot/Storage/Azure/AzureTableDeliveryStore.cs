// Over 400 lines on purpose: the IDeliveryStore contract on Table Storage (sends, jobs, cards, settings; the queue part is
// in AzureTableDeliveryStore.Queue.cs); the entity mappings and conditional writes must agree on one set of columns.
using System.Collections.Concurrent;
using Azure.Data.Tables;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using static TeamsRolloutBot.Storage.Azure.AzureTables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// <see cref="IDeliveryStore"/> on Azure Table Storage, for several bot instances sharing one storage account.
/// The Jobs table is the outbox's source of truth: each job is one entity whose <c>DueAt</c> moves to the lease expiry
/// when a dispatcher leases it, exactly like the SQLite store. With an outbox queue (production) a message per job is
/// the work signal that dispatchers receive instead of querying the table (AzureTableDeliveryStore.Queue.cs). Every change to shared state is a read followed by an
/// <c>If-Match</c> (ETag) update; a 412 means another instance changed the entity first, and the change is re-read
/// and retried (or, for a lease, the job is left to the instance that won). Times are Unix milliseconds.
/// Keys are stored base64url-encoded as row keys, because plan keys contain characters Table Storage forbids (<c>/</c>).
/// </summary>
public sealed partial class AzureTableDeliveryStore : IDeliveryStore
{
    private const string Sends = "sends";
    private const string Jobs = "jobs";
    private const string Meta = "meta";

    // An entity group transaction holds at most 100 entities of one partition; a few run at once, and more messages,
    // which are single small requests. Bounded so that one expansion does not starve the dispatchers' requests.
    private const int TransactionSize = 100;
    private const int ParallelTransactions = 8;
    private const int ParallelMessages = 32;

    private readonly TableClient _sends;
    private readonly TableClient _jobs;
    private readonly TableClient _settings;
    private readonly TableClient _cards;
    private readonly TableClient _conversations;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task<IReadOnlySet<string>>>? _heldWaves;
    private readonly Func<CancellationToken, Task<IReadOnlySet<string>>>? _cancelledWaves;
    private readonly AzureTableConversationStore _conversationStore;
    private readonly global::Azure.Storage.Queues.QueueClient? _queue;
    private readonly OutboxQueueOptions _queueOptions;

    /// <summary>
    /// A store on the tables <paramref name="tablePrefix"/>Sends, …Jobs, …Settings, …Cards, …Conversations.
    /// <paramref name="heldWaves"/> names the waves a lead paused or cancelled (their jobs are neither leased nor due);
    /// Conversation references live in the Conversations table that <see cref="AzureTableConversationStore"/> (what the
    /// bot learns from Teams) writes too. With <paramref name="outboxQueue"/> the dispatchers find work through the
    /// queue's messages; without it they query the Jobs table. <paramref name="cancelledWaves"/> names the held waves that
    /// were cancelled: their jobs' messages are deleted rather than hidden again.
    /// </summary>
    public AzureTableDeliveryStore(TableServiceClient service, string tablePrefix, TimeProvider time,
        Func<CancellationToken, Task<IReadOnlySet<string>>>? heldWaves = null,
        global::Azure.Storage.Queues.QueueClient? outboxQueue = null, OutboxQueueOptions? queueOptions = null,
        Func<CancellationToken, Task<IReadOnlySet<string>>>? cancelledWaves = null)
    {
        _cancelledWaves = cancelledWaves;
        _queue = outboxQueue;
        _queueOptions = queueOptions ?? new OutboxQueueOptions();
        ArgumentNullException.ThrowIfNull(service);
        _sends = service.GetTableClient(tablePrefix + "Sends");
        _jobs = service.GetTableClient(tablePrefix + "Jobs");
        _settings = service.GetTableClient(tablePrefix + "Settings");
        _cards = service.GetTableClient(tablePrefix + "Cards");
        _conversations = service.GetTableClient(tablePrefix + "Conversations");
        _time = time;
        _heldWaves = heldWaves;
        _conversationStore = new AzureTableConversationStore(service, tablePrefix, time);
    }

    /// <summary>Creates the tables that do not exist yet (idempotent; every instance may call it at start).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { _sends, _jobs, _settings, _cards, _conversations })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
        if (_queue is not null)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Records planned sends not seen before; a pending one takes the plan's new due time and template; a cancelled one is pending again.</summary>
    public async Task<int> RegisterSendsAsync(IReadOnlyCollection<PlannedSend> sends, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var send in sends)
        {
            var entity = new TableEntity(Sends, Encode(send.Key))
            {
                ["SendKey"] = send.Key, ["WaveId"] = send.WaveId, ["MessageId"] = send.MessageId, ["DepartmentId"] = send.DepartmentId,
                ["Audience"] = send.Audience.ToString(), ["DueAt"] = Ms(send.DueUtc), ["Template"] = send.Template, ["Phase"] = send.Phase,
                ["Subject"] = send.Subject, ["State"] = nameof(PlannedSendState.Pending), ["JobCount"] = 0, ["UpdatedAt"] = Now(),
            };
            if (await TryAddAsync(_sends, entity, cancellationToken))
            {
                added++;
                continue;
            }
            await MutateAsync(_sends, Sends, Encode(send.Key), e =>
            {
                var state = e.GetString("State");
                if (state == nameof(PlannedSendState.Cancelled))
                {
                    // Back in the plan after a plan edit had removed it: pending again.
                    e["State"] = nameof(PlannedSendState.Pending);
                    e["Detail"] = null;
                }
                else if (state != nameof(PlannedSendState.Pending)
                    || (e.GetInt64("DueAt") == Ms(send.DueUtc) && e.GetString("Template") == send.Template
                        && e.GetString("Phase") == send.Phase && (e.GetString("Subject") ?? "") == (send.Subject ?? "")))
                {
                    return false;
                }
                e["DueAt"] = Ms(send.DueUtc);
                e["Template"] = send.Template;
                e["Phase"] = send.Phase;
                e["Subject"] = send.Subject;
                e["UpdatedAt"] = Now();
                return true;
            }, cancellationToken);
        }
        return added;
    }

    public async Task<IReadOnlyList<PlannedSendRecord>> GetDueSendsAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Sends} and State eq {nameof(PlannedSendState.Pending)} and DueAt le {Ms(nowUtc)}");
        var list = await QueryAsync(_sends, filter, cancellationToken);
        return [.. list.Select(ReadSend).OrderBy(s => s.Send.DueUtc).ThenBy(s => s.Send.Key, StringComparer.Ordinal)];
    }

    public async Task<PlannedSendRecord?> FindSendAsync(string sendKey, CancellationToken cancellationToken) =>
        await GetAsync(_sends, Sends, Encode(sendKey), cancellationToken) is { } e ? ReadSend(e) : null;

    public Task MarkSendAsync(string sendKey, PlannedSendState state, int jobCount, string? detail, CancellationToken cancellationToken) =>
        MutateAsync(_sends, Sends, Encode(sendKey), e =>
        {
            e["State"] = state.ToString();
            e["JobCount"] = jobCount;
            e["Detail"] = detail;
            e["UpdatedAt"] = Now();
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<PlannedSendRecord>> GetUnreportedMissedAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Sends} and State eq {nameof(PlannedSendState.Missed)}");
        var list = await QueryAsync(_sends, filter, cancellationToken);
        return [.. list.Select(ReadSend).Where(s => s.ReportedAt is null).OrderBy(s => s.Send.DueUtc)];
    }

    public Task MarkMissedReportedAsync(string sendKey, DateTimeOffset atUtc, CancellationToken cancellationToken) =>
        MutateAsync(_sends, Sends, Encode(sendKey), e =>
        {
            e["ReportedAt"] = Ms(atUtc);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<(PlannedSendRecord Send, int QueuedJobs)>> GetOpenSendsAsync(CancellationToken cancellationToken)
    {
        var queued = (await QueryAsync(_jobs, TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and State eq {nameof(JobState.Queued)}"), cancellationToken, ["SendKey"]))
            .GroupBy(e => e.GetString("SendKey"), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Sends} and (State eq {nameof(PlannedSendState.Pending)} or State eq {nameof(PlannedSendState.Expanded)})");
        return [.. (await QueryAsync(_sends, filter, cancellationToken)).Select(ReadSend)
            .Select(s => (Send: s, QueuedJobs: queued.GetValueOrDefault(s.Send.Key)))
            .Where(s => s.Send.State == PlannedSendState.Pending || s.QueuedJobs > 0)
            .OrderBy(s => s.Send.Send.DueUtc).ThenBy(s => s.Send.Send.Key, StringComparer.Ordinal)];
    }

    /// <summary>The send first (If-Match), then each queued job (If-Match): a job a dispatcher finished meanwhile keeps its outcome.</summary>
    public async Task<int?> CancelSendAsync(string sendKey, string reason, CancellationToken cancellationToken)
    {
        var jobs = await QueryAsync(_jobs, TableClient.CreateQueryFilter(
            $"PartitionKey eq {Jobs} and SendKey eq {sendKey} and State eq {nameof(JobState.Queued)}"), cancellationToken, ["RowKey"]);
        var cancelled = await MutateAsync(_sends, Sends, Encode(sendKey), e =>
        {
            var state = e.GetString("State");
            if (state != nameof(PlannedSendState.Pending) && !(state == nameof(PlannedSendState.Expanded) && jobs.Count > 0))
            {
                return false;
            }
            e["State"] = nameof(PlannedSendState.Cancelled);
            e["Detail"] = reason;
            e["UpdatedAt"] = Now();
            return true;
        }, cancellationToken);
        if (!cancelled)
        {
            return null;
        }
        var skipped = 0;
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (job, ct) =>
        {
            var changed = await MutateAsync(_jobs, Jobs, job.RowKey, e =>
            {
                if (e.GetString("State") != nameof(JobState.Queued))
                {
                    return false;
                }
                e["State"] = nameof(JobState.Skipped);
                e["Outcome"] = nameof(DeliveryOutcome.Skipped);
                e["Detail"] = reason;
                e["StatusCode"] = null;
                ReleaseLease(e);
                return true;
            }, ct);
            if (changed)
            {
                // Its queue message, if any, is dropped when a dispatcher next receives it and finds the job finished.
                Interlocked.Increment(ref skipped);
            }
        });
        return skipped;
    }

    public async Task<string?> FreezeContentAsync(string sendKey, string content, CancellationToken cancellationToken)
    {
        await MutateAsync(_sends, Sends, Encode(sendKey), e =>
        {
            if (e.GetString("Content") is not null)
            {
                return false;
            }
            e["Content"] = content;
            return true;
        }, cancellationToken);
        return (await GetAsync(_sends, Sends, Encode(sendKey), cancellationToken))?.GetString("Content");
    }

    /// <summary>
    /// Adds each job whose key is new. All jobs share one partition, so they go in as entity group transactions of up to
    /// 100 inserts, a few at a time; a transaction is all or nothing and is refused with 409 when any of its keys exists
    /// (an expansion that ran before, here or on another instance), and then its jobs are added one by one, each insert
    /// refused when its key exists: idempotent across instances. The queue messages of the added jobs go out in parallel
    /// once their transaction is stored.
    /// </summary>
    public async Task<int> EnqueueAsync(IReadOnlyCollection<OutboxJob> jobs, CancellationToken cancellationToken)
    {
        var now = Now();
        var entities = jobs.DistinctBy(j => j.Key, StringComparer.Ordinal).Select(j => JobEntity(j, now)).ToList();
        var added = new ConcurrentBag<TableEntity>();
        var refused = new ConcurrentBag<TableEntity>();
        await Parallel.ForEachAsync(entities.Chunk(TransactionSize), new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var target = await TryAddAllAsync(chunk, ct) ? added : refused;
                foreach (var entity in chunk)
                {
                    target.Add(entity);
                }
            });
        await Parallel.ForEachAsync(added, new ParallelOptions { MaxDegreeOfParallelism = ParallelMessages, CancellationToken = cancellationToken },
            async (entity, ct) => await SignalAsync(entity.RowKey, FromMs(entity.GetInt64("DueAt")!.Value), ct));
        var count = added.Count;
        await Parallel.ForEachAsync(refused, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (entity, ct) =>
        {
            if (await TryAddAsync(_jobs, entity, ct))
            {
                Interlocked.Increment(ref count);
                await SignalAsync(entity.RowKey, FromMs(entity.GetInt64("DueAt")!.Value), ct);
            }
            else if (_queue is not null && await GetAsync(_jobs, Jobs, entity.RowKey, ct) is { } existing && existing.GetString("State") == nameof(JobState.Queued))
            {
                // Expanding again means the earlier expansion did not finish: its instance may have died between this
                // job's insert and its message. A second message is harmless (the claim is by ETag); a missing one would
                // leave the job to the sweep.
                await SignalAsync(entity.RowKey, FromMs(existing.GetInt64("DueAt")!.Value), ct);
            }
        });
        return count;
    }

    /// <summary>Inserts the entities (one partition, at most 100) in one transaction; false when any of their keys exists.</summary>
    private async Task<bool> TryAddAllAsync(IReadOnlyCollection<TableEntity> entities, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.SubmitTransactionAsync([.. entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))], cancellationToken);
            return true;
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private TableEntity JobEntity(OutboxJob job, long now)
    {
        var entity = new TableEntity(Jobs, Encode(job.Key))
        {
            ["JobKey"] = job.Key, ["SendKey"] = job.SendKey, ["WaveId"] = job.WaveId, ["MessageId"] = job.MessageId,
            ["DepartmentId"] = job.DepartmentId, ["Kind"] = job.Kind.ToString(), ["Target"] = job.Target, ["Language"] = job.Language,
            ["PlannedAt"] = Ms(job.DueUtc), ["DueAt"] = Ms(job.DueUtc), ["State"] = nameof(JobState.Queued), ["Attempts"] = 0,
            ["InstallRequested"] = false, ["CreatedAt"] = now, ["UpdatedAt"] = now,
        };
        if (_queue is not null)
        {
            entity["SignalAt"] = now;
        }
        return entity;
    }

    /// <summary>
    /// Reads the due queued jobs, oldest first, and claims each with an ETag-conditional update that moves its due time
    /// to the lease expiry. A 412 means another instance claimed it first: that job is skipped, never handed out twice.
    /// </summary>
    public async Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, DateTimeOffset nowUtc, TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }
        if (_queue is not null)
        {
            return await LeaseFromQueueAsync(owner, max, nowUtc, leaseFor, cancellationToken);
        }
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and State eq {nameof(JobState.Queued)} and DueAt le {Ms(nowUtc)}");
        var held = await HeldAsync(cancellationToken);
        var candidates = (await QueryAsync(_jobs, filter, cancellationToken))
            .Where(e => !held.Contains(e.GetString("WaveId")))
            .OrderBy(e => e.GetInt64("DueAt")).ThenBy(e => e.GetInt64("CreatedAt")).ThenBy(e => e.RowKey, StringComparer.Ordinal);
        var until = nowUtc + leaseFor;
        var leased = new List<LeasedJob>(max);
        foreach (var entity in candidates)
        {
            if (leased.Count >= max)
            {
                break;
            }
            entity["DueAt"] = Ms(until);
            entity["LeaseOwner"] = owner;
            entity["UpdatedAt"] = Ms(nowUtc);
            if (!await TryReplaceAsync(_jobs, entity, cancellationToken))
            {
                continue;
            }
            leased.Add(new LeasedJob(ReadJob(entity), (int)entity.GetInt32("Attempts")!, entity.GetBoolean("InstallRequested") == true, until));
        }
        return leased;
    }

    public Task CompleteAsync(string jobKey, DeliveryResult result, CancellationToken cancellationToken) =>
        RecordAsync([new JobUpdate(jobKey, result)], cancellationToken);

    public Task RescheduleAsync(string jobKey, DateTimeOffset dueUtc, DeliveryResult result, bool countAttempt, bool installRequested, CancellationToken cancellationToken) =>
        RecordAsync([new JobUpdate(jobKey, result, dueUtc, countAttempt, installRequested)], cancellationToken);

    /// <summary>Records each attempt with its own conditional update (Table Storage has no cross-entity transaction beyond one partition batch).</summary>
    public Task RecordAsync(IReadOnlyCollection<JobUpdate> updates, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (update, ct) =>
        {
            await MutateAsync(_jobs, Jobs, Encode(update.Key), e =>
            {
                var result = update.Result;
                e["Outcome"] = result.Outcome.ToString();
                e["Detail"] = result.Detail is { Length: > 1000 } d ? d[..1000] : result.Detail;
                e["StatusCode"] = result.StatusCode;
                if (result.ConversationId is not null)
                {
                    e["ConversationId"] = result.ConversationId;
                }
                if (result.ActivityId is not null)
                {
                    e["ActivityId"] = result.ActivityId;
                }
                var attempts = e.GetInt32("Attempts") ?? 0;
                if (update.RetryAt is { } due)
                {
                    e["State"] = nameof(JobState.Queued);
                    e["DueAt"] = Ms(due);
                    e["Attempts"] = attempts + (update.CountAttempt ? 1 : 0);
                    e["InstallRequested"] = e.GetBoolean("InstallRequested") == true || update.InstallRequested;
                }
                else
                {
                    e["State"] = StateOf(result.Outcome).ToString();
                    e["Attempts"] = attempts + 1;
                }
                ReleaseLease(e);
                return true;
            }, ct);
            await AfterRecordAsync(update, ct);
        });

    public Task ReleaseAsync(IReadOnlyCollection<string> jobKeys, DateTimeOffset dueUtc, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(jobKeys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            await MutateAsync(_jobs, Jobs, Encode(key), e =>
            {
                if (e.GetString("State") != nameof(JobState.Queued))
                {
                    return false;
                }
                e["DueAt"] = Ms(dueUtc);
                ReleaseLease(e);
                return true;
            }, ct);
            await MoveSignalAsync(key, dueUtc, ct);
        });

    /// <summary>A job handed back to the queue or finished: no owner, changed now, and (with the queue) signalled now.</summary>
    private void ReleaseLease(TableEntity e)
    {
        e["LeaseOwner"] = null;
        e["UpdatedAt"] = Now();
        if (_queue is not null)
        {
            e["SignalAt"] = Now();
        }
    }

    public async Task<IReadOnlyDictionary<string, StoredConversation>> FindPersonalConversationsAsync(IReadOnlyCollection<string> userAadObjectIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, StoredConversation>(StringComparer.OrdinalIgnoreCase);
        await Parallel.ForEachAsync(userAadObjectIds.Distinct(StringComparer.OrdinalIgnoreCase),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                if (await FindPersonalConversationAsync(id, ct) is { } conversation)
                {
                    found[conversation.Reference.UserAadObjectId!] = conversation;
                }
            });
        return new Dictionary<string, StoredConversation>(found, StringComparer.OrdinalIgnoreCase);
    }

    public async Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken)
    {
        if (await TryAddAsync(_settings, new TableEntity(Meta, Encode(key)) { ["Value"] = value }, cancellationToken))
        {
            return value;
        }
        return (await GetAsync(_settings, Meta, Encode(key), cancellationToken))!.GetString("Value");
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and State eq {nameof(JobState.Queued)}");
        var held = await HeldAsync(cancellationToken);
        var queued = (await QueryAsync(_jobs, filter, cancellationToken, ["DueAt", "WaveId"])).Where(e => !held.Contains(e.GetString("WaveId"))).ToList();
        return queued.Count == 0 ? null : FromMs(queued.Min(e => e.GetInt64("DueAt")!.Value));
    }

    public async Task<IReadOnlyList<WaveProgress>> GetProgressAsync(DateTimeOffset sinceUtc, CancellationToken cancellationToken)
    {
        var all = await QueryAsync(_jobs, TableClient.CreateQueryFilter($"PartitionKey eq {Jobs}"), cancellationToken,
            ["WaveId", "MessageId", "State", "UpdatedAt"]);
        var since = Ms(sinceUtc);
        return
        [
            .. all.GroupBy(e => (Wave: e.GetString("WaveId"), Message: e.GetString("MessageId")))
                .Where(g => g.Any(e => e.GetString("State") == nameof(JobState.Queued) || e.GetInt64("UpdatedAt") >= since))
                .OrderBy(g => g.Key.Wave, StringComparer.Ordinal).ThenBy(g => g.Key.Message, StringComparer.Ordinal)
                .Select(g =>
                {
                    int Count(JobState s) => g.Count(e => e.GetString("State") == s.ToString());
                    var finished = g.Where(e => e.GetString("State") != nameof(JobState.Queued)).Select(e => e.GetInt64("UpdatedAt")!.Value).ToList();
                    return new WaveProgress(g.Key.Wave, g.Key.Message, g.Count(), Count(JobState.Delivered), Count(JobState.Failed),
                        Count(JobState.Skipped), Count(JobState.Queued), finished.Count == 0 ? null : FromMs(finished.Max()));
                }),
        ];
    }

    public async Task<IReadOnlyList<DeliveryLogEntry>> GetDeliveryLogAsync(string target, CancellationToken cancellationToken)
    {
        var list = await QueryAsync(_jobs, TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and Target eq {target}"), cancellationToken);
        return [.. list.OrderByDescending(e => e.GetInt64("CreatedAt")).ThenByDescending(e => e.GetInt64("PlannedAt")).Select(ReadLog)];
    }

    public async Task<IReadOnlyList<DeliveryLogEntry>> GetDeliveriesAsync(string? waveId, CancellationToken cancellationToken)
    {
        var filter = waveId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Jobs}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Jobs} and WaveId eq {waveId}");
        var list = await QueryAsync(_jobs, filter, cancellationToken);
        return [.. list.OrderBy(e => e.GetInt64("CreatedAt")).ThenBy(e => e.GetInt64("PlannedAt")).ThenBy(e => e.RowKey, StringComparer.Ordinal).Select(ReadLog)];
    }

    /// <summary>Each failed job back in the queue with its own conditional update; with the outbox queue it gets a new message.</summary>
    public async Task<int> RequeueFailedAsync(IReadOnlyCollection<string> jobKeys, DateTimeOffset dueUtc, CancellationToken cancellationToken)
    {
        var queued = 0;
        await Parallel.ForEachAsync(jobKeys.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (key, ct) =>
        {
            var changed = await MutateAsync(_jobs, Jobs, Encode(key), e =>
            {
                if (e.GetString("State") != nameof(JobState.Failed))
                {
                    return false;
                }
                e["State"] = nameof(JobState.Queued);
                e["DueAt"] = Ms(dueUtc);
                e["Attempts"] = 0;
                ReleaseLease(e);
                return true;
            }, ct);
            if (changed)
            {
                Interlocked.Increment(ref queued);
                await SignalAsync(Encode(key), dueUtc, ct);
            }
        });
        return queued;
    }

    public async Task<(bool HasJobs, IReadOnlyList<string> Delivered)> GetDeliveredPeopleAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Jobs} and WaveId eq {waveId} and MessageId eq {messageId} and DepartmentId eq {departmentId} and Kind eq {nameof(DeliveryKind.Personal)}");
        var list = await QueryAsync(_jobs, filter, cancellationToken, ["Target", "State"]);
        return (list.Count > 0, [.. list.Where(e => e.GetString("State") == nameof(JobState.Delivered)).Select(e => e.GetString("Target"))]);
    }

    public async Task<IReadOnlyList<PersonalDelivery>> GetPersonalDeliveriesAsync(string waveId, string messageId, string departmentId, CancellationToken cancellationToken)
    {
        // A delivered job is final: its UpdatedAt is the moment the delivery was recorded.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Jobs} and WaveId eq {waveId} and MessageId eq {messageId} and DepartmentId eq {departmentId} and Kind eq {nameof(DeliveryKind.Personal)} and State eq {nameof(JobState.Delivered)}");
        var list = await QueryAsync(_jobs, filter, cancellationToken, ["Target", "UpdatedAt"]);
        return [.. list.Select(e => new PersonalDelivery(e.GetString("Target"), FromMs(e.GetInt64("UpdatedAt")!.Value)))
            .OrderBy(d => d.DeliveredUtc).ThenBy(d => d.AadObjectId, StringComparer.Ordinal)];
    }

    public async Task<DeliveryLogEntry?> FindJobAsync(string jobKey, CancellationToken cancellationToken) =>
        await GetAsync(_jobs, Jobs, Encode(jobKey), cancellationToken) is { } e ? ReadLog(e) : null;

    public async Task<ProgressCard?> FindProgressCardAsync(string waveId, string messageId, string leadId, CancellationToken cancellationToken) =>
        await GetAsync(_cards, Encode(waveId + "\n" + messageId), Encode(leadId), cancellationToken) is { } e
            ? new ProgressCard(waveId, messageId, leadId, e.GetString("ConversationId"), e.GetString("ServiceUrl"), e.GetString("ActivityId"), e.GetBoolean("Final") == true)
            : null;

    public async Task SaveProgressCardAsync(ProgressCard card, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        var entity = new TableEntity(Encode(card.WaveId + "\n" + card.MessageId), Encode(card.LeadId))
        {
            ["ConversationId"] = card.ConversationId, ["ServiceUrl"] = card.ServiceUrl, ["ActivityId"] = card.ActivityId,
            ["Final"] = card.Final, ["UpdatedAt"] = Now(),
        };
        await _cards.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The user's personal conversation: an installed one before an uninstalled one, then the newest.</summary>
    public Task<StoredConversation?> FindPersonalConversationAsync(string userAadObjectId, CancellationToken cancellationToken) =>
        _conversationStore.FindPersonalAsync(userAadObjectId, cancellationToken);

    public Task<StoredConversation?> FindConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        _conversationStore.FindAsync(conversationId, cancellationToken);

    public Task<string?> LatestServiceUrlAsync(CancellationToken cancellationToken) => _conversationStore.LatestServiceUrlAsync(cancellationToken);

    /// <summary>Stores or refreshes a reference; fields the new one lacks keep their stored values (as in SQLite's COALESCE).</summary>
    public Task SaveConversationAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        _conversationStore.UpsertAsync(reference, cancellationToken);

    public Task MarkConversationGoneAsync(string conversationId, CancellationToken cancellationToken) =>
        _conversationStore.MarkUninstalledAsync(conversationId, cancellationToken);

    private async Task<IReadOnlySet<string>> HeldAsync(CancellationToken cancellationToken) =>
        _heldWaves is null ? new HashSet<string>() : await _heldWaves(cancellationToken);

    private static PlannedSendRecord ReadSend(TableEntity e)
    {
        var send = new PlannedSend(e.GetString("SendKey"), e.GetString("WaveId"), e.GetString("MessageId"), e.GetString("DepartmentId"),
            Enum.Parse<SendAudience>(e.GetString("Audience")), FromMs(e.GetInt64("DueAt")!.Value), e.GetString("Template"),
            e.GetString("Phase") ?? "", e.GetString("Subject"));
        return new PlannedSendRecord(send, Enum.Parse<PlannedSendState>(e.GetString("State")), e.GetInt32("JobCount") ?? 0, e.GetString("Detail"),
            e.GetInt64("ReportedAt") is { } reported ? FromMs(reported) : null, e.GetString("Content"));
    }

    private static OutboxJob ReadJob(TableEntity e) => new(
        e.GetString("JobKey"), e.GetString("SendKey"), e.GetString("WaveId"), e.GetString("MessageId"), e.GetString("DepartmentId"),
        Enum.Parse<DeliveryKind>(e.GetString("Kind")), e.GetString("Target"), e.GetString("Language"), FromMs(e.GetInt64("PlannedAt")!.Value));

    private static DeliveryLogEntry ReadLog(TableEntity e) => new(
        e.GetString("JobKey"), e.GetString("WaveId"), e.GetString("MessageId"), e.GetString("DepartmentId"),
        Enum.Parse<DeliveryKind>(e.GetString("Kind")), e.GetString("Target"), Enum.Parse<JobState>(e.GetString("State")),
        e.GetString("Outcome") is { } outcome ? Enum.Parse<DeliveryOutcome>(outcome) : null, e.GetString("Detail"),
        e.GetInt32("Attempts") ?? 0, e.GetString("ConversationId"), e.GetString("ActivityId"), FromMs(e.GetInt64("UpdatedAt")!.Value),
        e.GetString("SendKey") ?? "", e.GetInt64("CreatedAt") is { } created ? FromMs(created) : null);

    private static JobState StateOf(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => JobState.Delivered,
        DeliveryOutcome.Skipped => JobState.Skipped,
        _ => JobState.Failed,
    };

    private long Now() => Ms(_time.GetUtcNow());
}

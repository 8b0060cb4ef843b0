namespace TeamsRolloutBot.Plan;

/// <summary>A send that already happened, as the delivery store remembers it.</summary>
public sealed record SentRecord(string Key, string Fingerprint, DateTimeOffset SentAt);

public enum SendState
{
    /// <summary>Sent, and the plan still has it unchanged: nothing to do.</summary>
    Sent,

    /// <summary>Not sent yet: the dispatcher sends it at its time (or now, when the time has passed).</summary>
    Due,

    /// <summary>Sent, but the plan's text or card for it changed since: it is not sent again; leads are told.</summary>
    ChangedAfterSend,

    /// <summary>Sent, and no longer in the plan (the message, wave or department was removed or renamed).</summary>
    Removed,
}

public sealed record ReconciledSend(string Key, SendState State, ScheduledSend? Send, SentRecord? Record);

/// <summary>Compares a freshly expanded schedule with what was already sent, so a plan edit never re-sends or forgets.</summary>
public static class PlanReconciler
{
    public static IReadOnlyList<ReconciledSend> Reconcile(IReadOnlyList<ScheduledSend> schedule, IEnumerable<SentRecord> sent)
    {
        var records = new Dictionary<string, SentRecord>();
        foreach (var record in sent)
        {
            records.TryAdd(record.Key, record);
        }

        var result = new List<ReconciledSend>(schedule.Count + records.Count);
        var keys = new HashSet<string>();
        foreach (var send in schedule)
        {
            keys.Add(send.Key);
            if (records.TryGetValue(send.Key, out var record))
            {
                var state = record.Fingerprint == send.Fingerprint ? SendState.Sent : SendState.ChangedAfterSend;
                result.Add(new ReconciledSend(send.Key, state, send, record));
            }
            else
            {
                result.Add(new ReconciledSend(send.Key, SendState.Due, send, null));
            }
        }

        result.AddRange(records.Values.Where(r => !keys.Contains(r.Key)).OrderBy(r => r.SentAt).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ReconciledSend(r.Key, SendState.Removed, null, r)));
        return result;
    }
}

namespace TeamsRolloutBot.Plan;

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

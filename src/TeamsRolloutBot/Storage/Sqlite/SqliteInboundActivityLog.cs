namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>The inbound dedupe log in the SQLite file (table <c>inbound_activities</c>); entries older than a day are pruned.</summary>
public sealed class SqliteInboundActivityLog(SqliteDatabase database, TimeProvider time) : IInboundActivityLog
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private long _claims;

    public async Task<bool> TryClaimAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        var claimed = await database.ExecuteAsync("""
            INSERT INTO inbound_activities (channel_id, conversation_id, activity_id, received_at) VALUES ($c, $conv, $a, $t)
            ON CONFLICT DO NOTHING
            """, cancellationToken, ("$c", channelId), ("$conv", conversationId), ("$a", activityId), ("$t", time.GetUtcNow().ToString("O"))) == 1;
        if (claimed && Interlocked.Increment(ref _claims) % 1000 == 0)
        {
            await database.ExecuteAsync("DELETE FROM inbound_activities WHERE received_at < $before", cancellationToken,
                ("$before", (time.GetUtcNow() - Retention).ToString("O")));
        }
        return claimed;
    }

    public Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM inbound_activities WHERE channel_id = $c AND conversation_id = $conv AND activity_id = $a",
            cancellationToken, ("$c", channelId), ("$conv", conversationId), ("$a", activityId));
}

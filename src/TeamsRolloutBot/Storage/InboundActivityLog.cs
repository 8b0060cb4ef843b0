namespace TeamsRolloutBot.Storage;

/// <summary>
/// Remembers which inbound activities were handled, so a redelivery (same channelId, conversation id and activity id;
/// Teams redelivers when the bot answers slowly, possibly to another instance) is handled once. A claim is an
/// insert-if-absent: of two instances claiming at once, one wins.
/// </summary>
public interface IInboundActivityLog
{
    /// <summary>True when this activity is seen for the first time (and is now claimed); false for a redelivery.</summary>
    Task<bool> TryClaimAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);

    /// <summary>Releases a claim when handling failed, so Teams' redelivery is handled instead of dropped.</summary>
    Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);
}

/// <summary>The inbound dedupe log in the SQLite file (table <c>inbound_activities</c>); entries older than a day are pruned.</summary>
public sealed class SqliteInboundActivityLog(SqliteDatabase database, TimeProvider time) : IInboundActivityLog
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);
    private long _claims;

    public async Task<bool> TryClaimAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO inbound_activities (channel_id, conversation_id, activity_id, received_at) VALUES ($c, $conv, $a, $t)
            ON CONFLICT DO NOTHING
            """;
        command.Parameters.AddWithValue("$c", channelId);
        command.Parameters.AddWithValue("$conv", conversationId);
        command.Parameters.AddWithValue("$a", activityId);
        command.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
        var claimed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (claimed && Interlocked.Increment(ref _claims) % 1000 == 0)
        {
            await using var prune = connection.CreateCommand();
            prune.CommandText = "DELETE FROM inbound_activities WHERE received_at < $before";
            prune.Parameters.AddWithValue("$before", (time.GetUtcNow() - Retention).ToString("O"));
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        return claimed;
    }

    public async Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM inbound_activities WHERE channel_id = $c AND conversation_id = $conv AND activity_id = $a";
        command.Parameters.AddWithValue("$c", channelId);
        command.Parameters.AddWithValue("$conv", conversationId);
        command.Parameters.AddWithValue("$a", activityId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

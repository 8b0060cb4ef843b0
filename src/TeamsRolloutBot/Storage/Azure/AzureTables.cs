using System.Text;
using Azure;
using Azure.Data.Tables;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>
/// The one Table Storage helper of the AzureStorage stores: insert-if-absent, read, the optimistic-concurrency retry
/// (If-Match read-change-write), work claims, query and key encoding. Every <c>AzureTable…Store</c> uses these instead of
/// its own loop.
/// </summary>
internal static class AzureTables
{
    /// <summary>Inserts the entity; false when one with its keys exists (409), so of two instances inserting one wins.</summary>
    public static async Task<bool> TryAddAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public static async Task<TableEntity?> GetAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Writes the entity if its ETag is still current; false on 412 (another instance wrote first) or 404 (deleted).</summary>
    public static async Task<bool> TryReplaceAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>How often a write that lost an optimistic-concurrency race is decided again before giving up.</summary>
    public const int MaxConflictRetries = 20;

    /// <summary>
    /// The optimistic-concurrency loop every store uses: runs <paramref name="attempt"/> (read, decide, write with
    /// <c>If-Match</c> or insert) and, when its write loses the race — 412 (another instance changed the entity first) or
    /// 409 (another instance inserted it first) — waits a little longer each time and runs it again, so it decides again on
    /// what the other instance wrote. After <see cref="MaxConflictRetries"/> lost races the last error is thrown.
    /// </summary>
    public static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var lost = 0; ; lost++)
        {
            try
            {
                return await attempt();
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && lost < MaxConflictRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * (lost + 1)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Read, change, write back with If-Match; on 412 read again and let <paramref name="change"/> decide again on the
    /// newer entity. True when <paramref name="change"/> accepted an entity and it was written; false when the entity
    /// is missing (or was deleted meanwhile) or <paramref name="change"/> declined.
    /// </summary>
    public static Task<bool> MutateAsync(TableClient table, string partition, string row, Func<TableEntity, bool> change, CancellationToken cancellationToken) =>
        RetryOnConflictAsync(async () =>
        {
            if (await GetAsync(table, partition, row, cancellationToken) is not { } entity || !change(entity))
            {
                return false;
            }
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
        }, cancellationToken);

    /// <summary>How long an instance holds queue work it took (the SharePoint copy); after that another instance may take it.</summary>
    public static readonly TimeSpan WorkLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Takes up to <paramref name="limit"/> of <paramref name="candidates"/> (in order) whose <c>LeaseUntil</c> has passed,
    /// each by an <c>If-Match</c> write of a new <c>LeaseUntil</c> (UTC ticks): of two instances taking the same entity, one
    /// gets it. The work's own completion clears the lease.
    /// </summary>
    public static async Task<List<TableEntity>> ClaimAsync(TableClient table, IEnumerable<TableEntity> candidates, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = new List<TableEntity>();
        foreach (var entity in candidates)
        {
            if (claimed.Count >= limit)
            {
                break;
            }
            if (entity.GetInt64("LeaseUntil") is { } until && until > now.UtcTicks)
            {
                continue;
            }
            entity["LeaseUntil"] = (now + WorkLease).UtcTicks;
            if (await TryReplaceAsync(table, entity, cancellationToken))
            {
                claimed.Add(entity);
            }
        }
        return claimed;
    }

    public static async Task<List<TableEntity>> QueryAsync(TableClient table, string? filter, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
        {
            list.Add(entity);
        }
        return list;
    }

    /// <summary>A row key for any string: base64url of its UTF-8 bytes (Table Storage forbids / \ # ? and control characters in keys).</summary>
    public static string Encode(string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A row key that sorts newest first (Table Storage returns a partition in row key order).</summary>
    public static string NewestFirst(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

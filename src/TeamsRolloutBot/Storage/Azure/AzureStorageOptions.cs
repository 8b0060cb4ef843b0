namespace TeamsRolloutBot.Storage.Azure;

/// <summary>The <c>Storage</c> keys of the AzureStorage provider: where it keeps delivery state.</summary>
public sealed class AzureStorageOptions
{
    /// <summary><c>Storage:AzureConnectionString</c>: a storage account connection string (account key or SAS). Takes precedence.</summary>
    public string? AzureConnectionString { get; set; }

    /// <summary><c>Storage:TableServiceUri</c>: <c>https://ACCOUNT.table.core.windows.net</c>, reached with the managed identity (DefaultAzureCredential; AZURE_CLIENT_ID picks a user-assigned one).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary><c>Storage:QueueServiceUri</c>: <c>https://ACCOUNT.queue.core.windows.net</c> for the outbox queue (managed identity); derived from TableServiceUri when unset.</summary>
    public string? QueueServiceUri { get; set; }

    /// <summary><c>Storage:BlobServiceUri</c>: <c>https://ACCOUNT.blob.core.windows.net</c> for the leader and wave-lock leases (managed identity); derived from TableServiceUri when unset.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary><c>Storage:BlobLeaseDuration</c>: how long the leader and wave-lock leases last (15 to 60 seconds, renewed every third); a killed leader is replaced after at most this long.</summary>
    public TimeSpan BlobLeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>Storage:OutboxSweepInterval</c>: how often the leader looks for due jobs whose queue message was lost.</summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Storage:OutboxSweepGrace</c>: how long a due job's message must have gone unseen before the sweep sends a new one.</summary>
    public TimeSpan OutboxSweepGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Storage:TablePrefix</c>: prefix of the table names (letters and digits), so several bots can share an account.</summary>
    public string TablePrefix { get; set; } = "rolloutbot";

    /// <summary><c>Storage:ImportFromSqlite</c>: on the first start with AzureStorage, copy the delivery state of the SQLite file (<c>Storage:SqlitePath</c>) into the tables.</summary>
    public bool ImportFromSqlite { get; set; } = true;
}

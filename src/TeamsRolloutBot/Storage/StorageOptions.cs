namespace TeamsRolloutBot.Storage;

/// <summary><c>Storage:</c> settings for the embedded SQLite store.</summary>
public sealed class StorageOptions
{
    /// <summary><c>Storage:Provider</c>: Sqlite (the default, one file).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary><c>Storage:SqlitePath</c>: the database file, relative to the content root unless absolute.</summary>
    public string SqlitePath { get; set; } = "data/rollout.db";
}

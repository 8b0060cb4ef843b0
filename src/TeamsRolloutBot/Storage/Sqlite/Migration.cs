namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>One schema change, applied once and recorded in <c>schema_migrations</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);

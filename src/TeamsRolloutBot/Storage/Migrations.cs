namespace TeamsRolloutBot.Storage;

/// <summary>One schema change, applied once and recorded in <c>schema_migrations</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>The SQLite schema, in order. Append new migrations; never edit one that has shipped.</summary>
public static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "conversations and inbound dedupe", """
            CREATE TABLE conversations (
                conversation_id TEXT NOT NULL PRIMARY KEY,
                channel_id TEXT NOT NULL,
                service_url TEXT NOT NULL,
                conversation_type TEXT,
                tenant_id TEXT,
                bot_id TEXT,
                user_id TEXT,
                user_aad_object_id TEXT,
                team_id TEXT,
                team_aad_group_id TEXT,
                team_channel_id TEXT,
                locale TEXT,
                installed INTEGER NOT NULL DEFAULT 1,
                welcomed_at TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_conversations_user ON conversations (user_aad_object_id);
            CREATE INDEX ix_conversations_team ON conversations (team_id);
            CREATE TABLE inbound_activities (
                channel_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (channel_id, conversation_id, activity_id)
            );
            CREATE INDEX ix_inbound_received ON inbound_activities (received_at);
            """),
    ];
}

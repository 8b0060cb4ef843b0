using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage;

/// <summary>Conversation references (personal, group chat, channel): where the bot can post later, shared by every instance.</summary>
public interface IConversationStore
{
    /// <summary>Stores or refreshes a reference (serviceUrl and locale change over time; fields the new one lacks keep their values); marks the conversation installed.</summary>
    Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the welcome for a conversation: true exactly once per installation, so the installationUpdate and
    /// conversationUpdate that Teams both sends on install (and redeliveries, to any instance) give one welcome card.
    /// </summary>
    Task<bool> TryClaimWelcomeAsync(string conversationId, CancellationToken cancellationToken);

    Task ReleaseWelcomeAsync(string conversationId, CancellationToken cancellationToken);

    Task MarkUninstalledAsync(string conversationId, CancellationToken cancellationToken);

    Task<StoredConversation?> FindAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>The personal-chat reference of a user (by Entra object id): an installed one first, then the newest; null when the bot has none.</summary>
    Task<StoredConversation?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken);
}

/// <summary>Conversation references in the SQLite file (table <c>conversations</c>).</summary>
public sealed class SqliteConversationStore(SqliteDatabase database, TimeProvider time) : IConversationStore
{
    public async Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO conversations (conversation_id, channel_id, service_url, conversation_type, tenant_id, bot_id, user_id,
                user_aad_object_id, team_id, team_aad_group_id, team_channel_id, locale, installed, updated_at)
            VALUES ($conversation, $channel, $serviceUrl, $type, $tenant, $bot, $user, $aad, $team, $teamGroup, $teamChannel, $locale, 1, $now)
            ON CONFLICT (conversation_id) DO UPDATE SET
                service_url = excluded.service_url,
                conversation_type = COALESCE(excluded.conversation_type, conversation_type),
                tenant_id = COALESCE(excluded.tenant_id, tenant_id),
                bot_id = COALESCE(excluded.bot_id, bot_id),
                user_id = COALESCE(excluded.user_id, user_id),
                user_aad_object_id = COALESCE(excluded.user_aad_object_id, user_aad_object_id),
                team_id = COALESCE(excluded.team_id, team_id),
                team_aad_group_id = COALESCE(excluded.team_aad_group_id, team_aad_group_id),
                team_channel_id = COALESCE(excluded.team_channel_id, team_channel_id),
                locale = COALESCE(excluded.locale, locale),
                installed = 1,
                updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$conversation", reference.ConversationId);
        command.Parameters.AddWithValue("$channel", reference.ChannelId);
        command.Parameters.AddWithValue("$serviceUrl", reference.ServiceUrl);
        command.Parameters.AddWithValue("$type", (object?)reference.ConversationType ?? DBNull.Value);
        command.Parameters.AddWithValue("$tenant", (object?)reference.TenantId ?? DBNull.Value);
        command.Parameters.AddWithValue("$bot", (object?)reference.BotId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)reference.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$aad", (object?)reference.UserAadObjectId ?? DBNull.Value);
        command.Parameters.AddWithValue("$team", (object?)reference.TeamId ?? DBNull.Value);
        command.Parameters.AddWithValue("$teamGroup", (object?)reference.TeamAadGroupId ?? DBNull.Value);
        command.Parameters.AddWithValue("$teamChannel", (object?)reference.ChannelIdInTeam ?? DBNull.Value);
        command.Parameters.AddWithValue("$locale", (object?)reference.Locale ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToString("O"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> TryClaimWelcomeAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE conversations SET welcomed_at = $now WHERE conversation_id = $id AND welcomed_at IS NULL";
        command.Parameters.AddWithValue("$id", conversationId);
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToString("O"));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ReleaseWelcomeAsync(string conversationId, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE conversations SET welcomed_at = NULL WHERE conversation_id = $id", conversationId, cancellationToken);

    public async Task MarkUninstalledAsync(string conversationId, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE conversations SET installed = 0, welcomed_at = NULL WHERE conversation_id = $id", conversationId, cancellationToken);

    public async Task<StoredConversation?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM conversations WHERE conversation_id = $id";
        command.Parameters.AddWithValue("$id", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<StoredConversation?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT * FROM conversations WHERE user_aad_object_id = $aad AND conversation_type = 'personal'
            ORDER BY installed DESC, updated_at DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$aad", userAadObjectId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task ExecuteAsync(string sql, string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", conversationId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static StoredConversation Read(SqliteDataReader r)
    {
        string? S(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        return new StoredConversation(
            new ConversationReference(S("channel_id")!, S("service_url")!, S("conversation_id")!, S("conversation_type"), S("tenant_id"),
                S("bot_id"), S("user_id"), S("user_aad_object_id"), S("team_id"), S("team_aad_group_id"), S("team_channel_id"), S("locale")),
            r.GetInt64(r.GetOrdinal("installed")) == 1,
            S("welcomed_at") is { } welcomed ? DateTimeOffset.Parse(welcomed, System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}

/// <summary>A stored conversation reference with its install state.</summary>
public sealed record StoredConversation(ConversationReference Reference, bool Installed, DateTimeOffset? WelcomedAt);

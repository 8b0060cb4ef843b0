using Microsoft.Data.Sqlite;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Conversation references in the SQLite file (table <c>conversations</c>).</summary>
public sealed class SqliteConversationStore(SqliteDatabase database, TimeProvider time) : IConversationStore
{
    public Task UpsertAsync(ConversationReference reference, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
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
            """,
            cancellationToken,
            ("$conversation", reference.ConversationId), ("$channel", reference.ChannelId), ("$serviceUrl", reference.ServiceUrl),
            ("$type", reference.ConversationType), ("$tenant", reference.TenantId), ("$bot", reference.BotId), ("$user", reference.UserId),
            ("$aad", reference.UserAadObjectId), ("$team", reference.TeamId), ("$teamGroup", reference.TeamAadGroupId),
            ("$teamChannel", reference.ChannelIdInTeam), ("$locale", reference.Locale), ("$now", time.GetUtcNow().ToString("O")));

    public async Task<bool> TryClaimWelcomeAsync(string conversationId, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("UPDATE conversations SET welcomed_at = $now WHERE conversation_id = $id AND welcomed_at IS NULL",
            cancellationToken, ("$id", conversationId), ("$now", time.GetUtcNow().ToString("O"))) == 1;

    public Task ReleaseWelcomeAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE conversations SET welcomed_at = NULL WHERE conversation_id = $id", cancellationToken, ("$id", conversationId));

    public Task MarkUninstalledAsync(string conversationId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE conversations SET installed = 0, welcomed_at = NULL WHERE conversation_id = $id", cancellationToken, ("$id", conversationId));

    public async Task<StoredConversation?> FindAsync(string conversationId, CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT * FROM conversations WHERE conversation_id = $id", Read, cancellationToken, ("$id", conversationId)))
        .SingleOrDefault();

    public async Task<StoredConversation?> FindPersonalAsync(string userAadObjectId, CancellationToken cancellationToken) =>
        (await database.QueryAsync("""
            SELECT * FROM conversations WHERE user_aad_object_id = $aad AND conversation_type = 'personal'
            ORDER BY installed DESC, updated_at DESC LIMIT 1
            """, Read, cancellationToken, ("$aad", userAadObjectId))).SingleOrDefault();

    internal static StoredConversation Read(SqliteDataReader r)
    {
        string? S(string column) => r.GetStringOrNull(column);
        return new StoredConversation(
            new ConversationReference(S("channel_id")!, S("service_url")!, S("conversation_id")!, S("conversation_type"), S("tenant_id"),
                S("bot_id"), S("user_id"), S("user_aad_object_id"), S("team_id"), S("team_aad_group_id"), S("team_channel_id"), S("locale")),
            r.GetInt64(r.GetOrdinal("installed")) == 1,
            S("welcomed_at") is { } welcomed ? DateTimeOffset.Parse(welcomed, System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}

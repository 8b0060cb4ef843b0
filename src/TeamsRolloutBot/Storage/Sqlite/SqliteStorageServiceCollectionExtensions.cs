using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Wiring of <c>Storage:Provider=Sqlite</c> (the default): every store in the one SQLite file, one instance.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers exactly one SQLite implementation of each store interface (each also under its own type, for tests and
    /// the stores that share a table), the single-instance leadership and in-process wave locks. No instance registry:
    /// the one instance keeps the whole send rate. Needs <see cref="SqliteDatabase"/> (registered by <c>AddBotStorage</c>).
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton<SqliteConversationStore>();
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<SqliteConversationStore>());
        services.AddSingleton<IInboundActivityLog, SqliteInboundActivityLog>();
        services.AddSingleton<IPlanVersionStore, SqlitePlanVersionStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<IWaveStateStore, SqliteWaveStateStore>();
        services.AddSingleton<IConfirmationStore, SqliteConfirmationStore>();
        services.AddSingleton<IApprovalStore, SqliteApprovalStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<SqliteFeedbackStore>();
        services.AddSingleton<IFeedbackStore>(sp => sp.GetRequiredService<SqliteFeedbackStore>());
        services.AddSingleton<SqliteThreadReplyStore>();
        services.AddSingleton<IThreadReplyStore>(sp => sp.GetRequiredService<SqliteThreadReplyStore>());
        services.AddSingleton<IReplyOutbox, SqliteReplyOutbox>();
        services.AddSingleton<ISentCardStore, SqliteSentCardStore>();
        services.AddSingleton<ILeadership, SingleInstanceLeadership>();
        services.AddSingleton<IWaveLocks, LocalWaveLocks>();
        return services;
    }
}

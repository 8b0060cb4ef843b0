using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Commands;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// The lead commands: options (<c>Commands:</c>, validated at start), lead directory (plan + Graph), audit log,
    /// confirmations, wave control (<see cref="LocalWaveControl"/> and <see cref="IWaveStateStore"/>, which the delivery engine
    /// reads; an <see cref="IWaveControl"/> registered first replaces it). Stores registered before (AzureStorage) win., exports.
    /// </summary>
    public static IServiceCollection AddLeadCommands(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CommandsOptions>()
            .Bind(configuration.GetSection(CommandsOptions.Section))
            .Configure(o => o.GraphBaseUrl = configuration["Graph:BaseUrl"] is { Length: > 0 } graph ? graph : o.GraphBaseUrl)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandsOptions>, CommandsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(CommandsClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());

        services.AddHttpClient(LeadGraphClient.HttpClientName).AddStandardResilienceHandler(o =>
        {
            // A lead waits for this answer (and Teams gives an invoke 15 s): fail fast, then fail closed.
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(300);
        });
        services.AddHttpClient(ExportService.UploadClient).AddStandardResilienceHandler();

        services.AddSingleton<LeadGraphClient>();
        services.AddSingleton<CommandTexts>();
        // The SQLite stores unless the AzureStorage provider registered its Table Storage ones first.
        services.TryAddSingleton<IWaveStateStore, SqliteWaveStateStore>();
        services.AddSingleton<LeadDirectory>();
        services.TryAddSingleton<IAuditLog, SqliteAuditLog>();
        services.TryAddSingleton<IConfirmationStore, SqliteConfirmationStore>();
        services.TryAddSingleton<IWaveControl, LocalWaveControl>();
        services.AddSingleton<MessagePreview>();
        services.AddSingleton<ExportService>();
        // The router and the handlers of each command family.
        services.AddSingleton<CommandAudit>();
        services.AddSingleton<ConfirmationFlow>();
        services.AddSingleton<HelpCommands>();
        services.AddSingleton<PlanCommands>();
        services.AddSingleton<StatusCommands>();
        services.AddSingleton<WaveCommands>();
        services.AddSingleton<SendCommands>();
        services.AddSingleton<FeedbackCommands>();
        services.AddSingleton<LeadCommands>();
        return services;
    }
}

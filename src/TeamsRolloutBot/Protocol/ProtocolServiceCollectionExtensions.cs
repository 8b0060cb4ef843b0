using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using TeamsRolloutBot.Conversations;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Protocol;

/// <summary>Wiring of the Bot Framework protocol layer and the conversation basics.</summary>
public static class ProtocolServiceCollectionExtensions
{
    /// <summary>Options (validated at start-up), inbound auth, the connector client with its resilience pipeline, the bot.</summary>
    public static IServiceCollection AddBotProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().Configure(o => BotOptions.Bind(o, configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<BotAuthenticator>();
        services.AddAppCredential();
        services.AddSingleton<BotTokenProvider>();
        services.AddHttpClient(nameof(BotAuthenticator)).AddStandardResilienceHandler();

        services.AddHttpClient<ConnectorClient>()
            .AddResilienceHandler("connector", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<BotOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(500),
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ConnectorRetry.ShouldRetryAsync(args.Outcome, options.MaxShortRetryWait),
                });
                pipeline.AddTimeout(options.ConnectorTimeout);
            });

        services.AddSingleton<RolloutBot>();
        services.AddHostedService<PlanReloadNotifier>();
        return services;
    }

    /// <summary>SQLite file (or, with <c>Storage:Provider=AzureStorage</c>, Table Storage), conversation references, the inbound dedupe log and plan versions.</summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateOnStart()
            .Validate(o => o.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) || o.Provider.Equals("AzureStorage", StringComparison.OrdinalIgnoreCase),
                "Storage:Provider must be 'Sqlite' or 'AzureStorage'.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SqlitePath), "Storage:SqlitePath must name the database file.");
        services.AddSingleton<SqliteDatabase>();
        if (string.Equals(configuration["Storage:Provider"], "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            // Delivery and shared state (outbox, conversations, commands, dedupe) in Azure Table Storage; see docs/operations.md.
            Storage.Azure.AzureStorageServiceCollectionExtensions.AddAzureDeliveryStore(services, configuration);
        }
        services.AddSingleton<SqliteConversationStore>();
        services.TryAddSingleton<IConversationStore>(sp => sp.GetRequiredService<SqliteConversationStore>());
        services.TryAddSingleton<IInboundActivityLog, SqliteInboundActivityLog>();
        services.TryAddSingleton<IPlanVersionStore, SqlitePlanVersionStore>();
        services.AddHostedService<PlanVersionRecorder>();
        // One instance (SQLite): always the leader, wave locks in process. AzureStorage registered blob leases above.
        services.TryAddSingleton<ILeadership, SingleInstanceLeadership>();
        services.TryAddSingleton<IWaveLocks, LocalWaveLocks>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }
}

/// <summary>Which connector responses the in-process retry may wait out: throttling and gateway errors with a short wait.</summary>
internal static class ConnectorRetry
{
    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, TimeSpan maxWait)
    {
        if (outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            return true;
        }
        if (outcome.Result is not { } response)
        {
            return false;
        }
        var status = (int)response.StatusCode;
        if (status is not (429 or 412 or 500 or 502 or 503 or 504))
        {
            return false;
        }
        if (status == 500)
        {
            // A 500 that names a missing conversation or user will not get better by retrying.
            await response.Content.LoadIntoBufferAsync();
            var body = await response.Content.ReadAsStringAsync();
            if (body.Contains("ConversationNotFound", StringComparison.Ordinal) || body.Contains("UserNotFound", StringComparison.Ordinal))
            {
                return false;
            }
        }
        // A long Retry-After goes back to the caller as Throttled, to be scheduled durably instead of blocking here.
        return ConnectorClient.RetryAfter(response) is not { } wait || wait <= maxWait;
    }
}

using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TeamsRolloutBot.Conversations;

namespace TeamsRolloutBot.Protocol;

/// <summary>Wiring of the Bot Framework protocol layer and the conversation basics.</summary>
public static class ProtocolServiceCollectionExtensions
{
    /// <summary>Options (validated at start-up), inbound auth, the connector client with its resilience pipeline, the bot.</summary>
    public static IServiceCollection AddBotProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().Configure(o => BotOptions.Bind(o, configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<BotAuthenticator>();
        services.AddAppCredential();
        services.AddTransient<BotAuthorizationHandler>();
        services.AddHttpClient(nameof(BotAuthenticator)).AddStandardResilienceHandler();

        // The token is added outside the retries, as for Graph: one token per call, cached by the credential.
        services.AddHttpClient<ConnectorClient>()
            .AddHttpMessageHandler<BotAuthorizationHandler>()
            .AddResilienceHandler("connector", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<BotOptions>>().Value;
                pipeline.AddShortRetry(outcome => ConnectorRetry.ShouldRetryAsync(outcome, options.MaxShortRetryWait));
                pipeline.AddTimeout(options.ConnectorTimeout);
            });

        // The one reply attempt inside an inbound request: the token, no retries (ReplySender queues what fails).
        services.AddHttpClient(ReplySender.InlineClient).AddHttpMessageHandler<BotAuthorizationHandler>();
        services.AddSingleton<ReplySender>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplySender>());

        services.AddSingleton<RolloutBot>();
        services.AddHostedService<PlanReloadNotifier>();
        services.AddHostedService<PlanVersionNotifier>();
        services.AddSingleton<CorrectionNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<CorrectionNotifier>());
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

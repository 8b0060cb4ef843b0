using Microsoft.Extensions.Options;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Recipients;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>Wiring of durable, paced delivery.</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Pacing, recipient resolution, the scheduler, the dispatcher and the progress
    /// reporter. Call after <c>AddBotStorage</c> (the <see cref="IDeliveryStore"/>), <c>AddRolloutPlan</c>, <c>AddBotProtocol</c> and <c>AddGraph</c> (the 429 observer
    /// goes inside the connector's resilience pipeline, so it sees retried 429s too).
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection("Delivery")).ValidateOnStart()
            .PostConfigure(delivery =>
            {
                // The connector of proactive sends follows Bot:Cloud unless Delivery:DefaultServiceUrl says otherwise
                // (read from configuration: the bot's own options validate its identity, which this does not need).
                if (string.IsNullOrEmpty(configuration["Delivery:DefaultServiceUrl"]))
                {
                    delivery.DefaultServiceUrl = (BotCloud.Find(configuration["Bot:Cloud"]) ?? BotCloud.Public).DefaultServiceUrl;
                }
            });
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection("Rollout")).ValidateOnStart()
            .Validate(o => o.DemoTimeScale is >= 1 and <= 1_000_000, "Rollout:DemoTimeScale must be between 1 and 1000000 (10080 = one plan week per minute).");
        services.AddSingleton<TenantPacer>();
        services.AddSingleton<ConversationPacer>();
        // Shares the rate between instances when the storage provider registers an IInstanceRegistry (AzureStorage).
        services.AddSingleton<PacingCoordinator>();
        services.AddTransient<ThrottleObserver>();
        // The connector's client by its name (AddBotProtocol registers the typed client): one more handler, no second registration.
        services.AddHttpClient(nameof(ConnectorClient)).AddHttpMessageHandler<ThrottleObserver>();
        services.AddSingleton<RecipientResolver>();
        services.AddSingleton<DeliveryContent>();
        services.AddSingleton<DeliveryPlanSource>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<LeadMessenger>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<DeliveryScheduler>();
        services.AddSingleton<ProgressReporter>();
        // Sends a plan edit removed are cancelled on every reload, with or without Delivery:Enabled (nothing queued may go out later).
        services.AddSingleton<RemovedSendCanceller>();
        services.AddHostedService(sp => sp.GetRequiredService<RemovedSendCanceller>());
        // Corrections of sent cards (lead commands update / retract) run whether or not the scheduler does.
        services.AddSingleton<SentCardCheck>();
        services.AddSingleton<CorrectionRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<CorrectionRunner>());
        // Survey response rates count the people the survey was delivered to (Feedback reads this).
        services.AddSingleton<Feedback.ISurveyAudience, DeliveredSurveyAudience>();
        if (configuration.GetValue("Delivery:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryScheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<ProgressReporter>());
        }
        return services;
    }
}

using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Graph;

/// <summary>Wiring of Microsoft Graph: the one registration every feature's Graph calls go through.</summary>
public static class GraphServiceCollectionExtensions
{
    private static readonly (string Removed, string Replacement)[] RemovedKeys =
    [
        ("Feedback:GraphBaseUrl", "Graph:BaseUrl"),
        ("Commands:GraphBaseUrl", "Graph:BaseUrl"),
        ("Feedback:GraphTimeout", "Graph:Timeout"),
    ];

    /// <summary>
    /// <c>Graph:</c> options (validated at start-up), the typed <see cref="GraphClient"/> with the
    /// token handler and one resilience pipeline (429/503/504 with a Retry-After up to <c>Graph:MaxShortRetryWait</c>
    /// waited out; anything longer returned as an outcome), and the endpoint classes the features call. The token comes
    /// from the app's credential, registered by AddBotProtocol.
    /// </summary>
    public static IServiceCollection AddGraph(this IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddOptions<GraphOptions>().Bind(configuration.GetSection(GraphOptions.Section)).ValidateOnStart();
        // Graph's endpoint follows Bot:Cloud unless Graph:BaseUrl says otherwise (a fake on loopback, say).
        options.PostConfigure(graph =>
        {
            if (string.IsNullOrEmpty(configuration[$"{GraphOptions.Section}:BaseUrl"]))
            {
                graph.BaseUrl = (Protocol.BotCloud.Find(configuration["Bot:Cloud"]) ?? Protocol.BotCloud.Public).GraphBaseUrl;
            }
        });
        // Keys of the time each feature had its own Graph client: refused by name rather than silently ignored.
        foreach (var (removed, replacement) in RemovedKeys)
        {
            options.Validate(_ => configuration[removed] is null, $"{removed} is no longer read: set {replacement} instead (one Graph endpoint for every feature).");
        }
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        services.AddTransient<GraphAuthorizationHandler>();
        // The endpoint classes are singletons holding this client: connections are recycled by the handler instead.
        services.AddHttpClient<GraphClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<GraphAuthorizationHandler>()
            .AddResilienceHandler("graph", (pipeline, context) =>
            {
                var graph = context.ServiceProvider.GetRequiredService<IOptions<GraphOptions>>().Value;
                // Real time: these are waits inside one request; long waits are the durable queues' (on the app's clock).
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddShortRetry(outcome => GraphRetry.ShouldRetryAsync(outcome, graph.MaxShortRetryWait));
            });
        services.AddSingleton<GraphGateway>();
        services.AddSingleton<LeadGraphClient>();
        services.AddSingleton<SharePointListClient>();
        services.AddSingleton<ChannelRepliesClient>();
        return services;
    }
}

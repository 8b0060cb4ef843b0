using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Wiring of thread replies as feedback.</summary>
public static class ThreadRepliesServiceCollectionExtensions
{
    /// <summary>
    /// The reply store, the live handler (used by the bot), the root recorder (used by delivery). Called by AddFeedback.
    /// </summary>
    public static IServiceCollection AddThreadReplies(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ThreadReplyStore>();
        services.TryAddSingleton<ThreadReplyHandler>();
        services.TryAddSingleton<ThreadRootRecorder>();
        return services;
    }
}

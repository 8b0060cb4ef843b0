namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Wiring of thread replies as feedback.</summary>
public static class ThreadRepliesServiceCollectionExtensions
{
    /// <summary>
    /// The live handler (used by the bot), the root recorder (used by delivery), the Graph catch-up and its
    /// background worker (the <see cref="IThreadReplyStore"/> comes from AddBotStorage). Called by AddFeedback; its Graph endpoint (<see cref="Graph.ChannelRepliesClient"/>) comes from AddGraph.
    /// </summary>
    public static IServiceCollection AddThreadReplies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThreadRepliesOptions>().Bind(configuration.GetSection(ThreadRepliesOptions.Section));
        services.AddSingleton<ThreadReplyHandler>();
        services.AddSingleton<ThreadRootRecorder>();
        services.AddSingleton<ThreadReplyCatchUp>();
        services.AddSingleton<ThreadReplySummary>();
        services.AddHostedService<ThreadReplyCatchUpWorker>();
        return services;
    }
}

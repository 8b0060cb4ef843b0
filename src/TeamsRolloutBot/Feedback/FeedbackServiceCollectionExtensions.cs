using Microsoft.Extensions.Options;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Feedback;

/// <summary>Wiring of the feedback feature.</summary>
public static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), survey cards and invoke handler,
    /// summaries and export, and the background worker (SharePoint copy, card refresh lists, summaries, reminders).
    /// Needs AddBotStorage (the <see cref="IFeedbackStore"/>), AddRolloutPlan, AddBotProtocol and AddGraph (the SharePoint list and channel replies endpoints). The
    /// <see cref="ISurveyAudience"/> (who the survey went to) comes from AddDelivery.
    /// </summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedbackOptions>().Bind(configuration.GetSection(FeedbackOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedbackOptions>, FeedbackOptionsValidator>();
        services.AddSingleton<SurveyCards>();
        services.AddSingleton<FeedbackWorkSignal>();
        services.AddSingleton<SurveyInvokeHandler>();
        services.AddTransient<FeedbackListSetup>();
        services.AddSingleton<FeedbackSync>();
        services.AddSingleton<SurveyCardRefresher>();
        services.AddSingleton<FeedbackSummaryService>();
        services.AddSingleton<FeedbackNotifier>();
        services.AddHostedService<FeedbackWorker>();
        services.AddThreadReplies(configuration);
        return services;
    }
}

using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Hosting;

/// <summary>Every feature of the bot, in the order they depend on each other; the web host, tests and benchmarks share it.</summary>
public static class RolloutBotServices
{
    public static IServiceCollection AddRolloutBot(this IServiceCollection services, IConfiguration configuration)
    {
        // The one clock every feature reads (tests replace it with ConfigureTestServices, which runs after this).
        services.AddSingleton(TimeProvider.System);
        services.AddBotStorage(configuration);
        services.AddRolloutPlan(configuration);
        services.AddCards(configuration);
        services.AddBotProtocol(configuration);
        services.AddGraph(configuration);
        services.AddDelivery(configuration);
        services.AddFeedback(configuration);
        services.AddLeadCommands(configuration);
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Cards;

/// <summary>Registers the cards feature.</summary>
public static class CardsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the card templates' rules for plan messages (<see cref="IMessageTemplateRules"/>, which the plan
    /// loader calls) and checks at startup that every card template and strings file is embedded and parses, so a broken build
    /// fails when the app starts instead of at the first send. The renderer itself is static and needs no registration.
    /// </summary>
    public static IServiceCollection AddCards(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var id in CardTemplateIds.All)
        {
            _ = CardResources.Load($"Cards/Templates/{id}.json")
                ?? throw new InvalidOperationException($"Card template Cards/Templates/{id}.json is not embedded in the build.");
        }
        if (CardStrings.Languages.Count == 0)
            throw new InvalidOperationException("No card strings (Cards/Strings/*.json) are embedded in the build.");
        services.AddSingleton<IMessageTemplateRules>(CardMessageRules.Instance);
        return services;
    }
}

namespace TeamsRolloutBot.Plan;

public static class PlanServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="PlanProvider"/> (loads <c>Rollout:PlanPath</c> at start and watches it; runs the published
    /// version through the <see cref="Storage.PlanPublisher"/> that <c>AddBotStorage</c> registers) and the readiness check
    /// that fails while no valid plan runs.
    /// </summary>
    public static IServiceCollection AddRolloutPlan(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlanOptions>()
            .Bind(configuration.GetSection(PlanOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.PlanPath), "Rollout:PlanPath must name the plan YAML file")
            .Validate(o => o.PlanReloadDelay >= TimeSpan.Zero && o.PlanReloadDelay <= TimeSpan.FromMinutes(1), "Rollout:PlanReloadDelay must be between 00:00:00 and 00:01:00")
            .Validate(o => o.PublishedPlanPollInterval >= TimeSpan.FromSeconds(5) && o.PublishedPlanPollInterval <= TimeSpan.FromHours(1),
                "Rollout:PublishedPlanPollInterval must be between 00:00:05 and 01:00:00")
            .ValidateOnStart();
        services.AddSingleton<PlanProvider>();
        services.AddHostedService(sp => sp.GetRequiredService<PlanProvider>());
        services.AddHealthChecks().AddCheck<PlanHealthCheck>("plan", tags: ["ready"]);
        return services;
    }
}

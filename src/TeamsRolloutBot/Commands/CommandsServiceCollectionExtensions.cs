using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Commands;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// The lead commands: options (<c>Commands:</c>, validated at start), lead directory (plan + Graph), wave control
    /// (<see cref="LocalWaveControl"/>; an <see cref="IWaveControl"/> registered first replaces it), exports. The audit log,
    /// confirmation and wave state stores come from AddBotStorage (one implementation per provider).
    /// </summary>
    public static IServiceCollection AddLeadCommands(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CommandsOptions>()
            .Bind(configuration.GetSection(CommandsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandsOptions>, CommandsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(CommandsClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());

        services.AddHttpClient(ExportService.UploadClient).AddStandardResilienceHandler();

        services.AddSingleton<CommandTexts>();
        services.AddSingleton<LeadDirectory>();
        services.TryAddSingleton<IWaveControl, LocalWaveControl>();
        services.AddSingleton<MessagePreview>();
        services.AddSingleton<ExportService>();
        // The router and the handlers of each command family.
        services.AddSingleton<CommandAudit>();
        services.AddSingleton<ConfirmationFlow>();
        services.AddSingleton<HelpCommands>();
        services.AddSingleton<PlanCommands>();
        services.AddSingleton<StatusCommands>();
        services.AddSingleton<WaveCommands>();
        services.AddSingleton<SendCommands>();
        services.AddSingleton<FeedbackCommands>();
        services.AddSingleton<LeadCommands>();
        return services;
    }
}

using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Commands;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// The lead commands: options (<c>Commands:</c>, validated at start), lead directory (plan + Graph), wave control
    /// (<see cref="LocalWaveControl"/>), exports. The audit log,
    /// confirmation and wave state stores come from AddBotStorage (one implementation per provider).
    /// </summary>
    public static IServiceCollection AddLeadCommands(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CommandsOptions>()
            .Bind(configuration.GetSection(CommandsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommandsOptions>, CommandsOptionsValidator>();
        // The commands' own clock (tests move it without moving delivery): the app's clock unless replaced.
        services.AddKeyedSingleton<TimeProvider>(CommandsClock.Key, (sp, _) => sp.GetRequiredService<TimeProvider>());

        services.AddHttpClient(ExportService.UploadClient).AddStandardResilienceHandler();

        services.AddSingleton<CommandTexts>();
        services.AddSingleton<LeadDirectory>();
        services.AddSingleton<IWaveControl, LocalWaveControl>();
        services.AddSingleton<MessagePreview>();
        services.AddSingleton<ExportService>();
        // The router and the handlers of each command family.
        services.AddSingleton<CommandAudit>();
        services.AddSingleton<ConfirmationFlow>();
        services.AddSingleton<WaveApprovals>();
        services.AddSingleton<HelpCommands>();
        services.AddSingleton<PlanCommands>();
        services.AddSingleton<StatusCommands>();
        services.AddSingleton<WaveCommands>();
        services.AddSingleton<SendCommands>();
        services.AddSingleton<FeedbackCommands>();
        services.AddSingleton<DeliveriesCommands>();
        services.AddSingleton<CorrectionCommands>();
        services.AddSingleton<LeadCommands>();
        return services;
    }
}

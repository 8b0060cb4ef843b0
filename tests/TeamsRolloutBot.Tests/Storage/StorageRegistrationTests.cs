using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using TeamsRolloutBot.Hosting;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>
/// <c>Storage:Provider</c> decides, in one place, which implementation of each store the bot runs on: the app's own wiring
/// (<c>AddRolloutBot</c>) registers every store interface exactly once, with the chosen provider's class, so which store
/// the bot uses never depends on the order in which features were added.
/// </summary>
public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("trb-registration-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Every interface that a <c>Sqlite…</c> or <c>AzureTable…</c> class of the bot implements: the store seams.</summary>
    private static IReadOnlyList<Type> StoreInterfaces() =>
        [.. typeof(RolloutBotServices).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && (t.Name.StartsWith("Sqlite", StringComparison.Ordinal) || t.Name.StartsWith("AzureTable", StringComparison.Ordinal)))
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.Namespace?.StartsWith("TeamsRolloutBot", StringComparison.Ordinal) == true)
            .Distinct()
            .OrderBy(i => i.Name, StringComparer.Ordinal)];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("AzureStorage")]
    public void Each_store_interface_has_exactly_one_registration_from_the_chosen_provider(string provider)
    {
        var services = Wiring(provider);
        var interfaces = StoreInterfaces();
        Assert.Contains(typeof(TeamsRolloutBot.Storage.IDeliveryStore), interfaces);
        Assert.Contains(typeof(TeamsRolloutBot.Feedback.IFeedbackStore), interfaces);
        Assert.Contains(typeof(TeamsRolloutBot.Commands.IWaveStateStore), interfaces);

        // One instance on SQLite keeps the whole send rate: no instance registry there, one on AzureStorage.
        var expected = interfaces.ToDictionary(i => i, i => provider == "Sqlite" && i == typeof(TeamsRolloutBot.Delivery.IInstanceRegistry) ? 0 : 1);
        var registered = interfaces.ToDictionary(i => i, i => services.Count(d => d.ServiceType == i));
        Assert.Equal(expected, registered);

        using var provided = services.BuildServiceProvider();
        var prefix = provider == "Sqlite" ? "Sqlite" : "AzureTable";
        var wrong = interfaces.Where(i => registered[i] == 1)
            .Select(i => (Interface: i.Name, Implementation: provided.GetRequiredService(i).GetType().Name))
            .Where(p => !p.Implementation.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("AzureStorage")]
    public void Every_service_of_the_bot_is_registered_once_so_no_feature_order_decides_which_one_runs(string provider)
    {
        var services = Wiring(provider);
        // The bot's own types, the one clock and the one credential; hosted services, options and handlers may be many.
        static bool Owned(Type type) =>
            type == typeof(TimeProvider) || type == typeof(Azure.Core.TokenCredential)
            || type.Namespace?.StartsWith("TeamsRolloutBot", StringComparison.Ordinal) == true;
        var twice = services.Where(d => Owned(d.ServiceType))
            .GroupBy(d => (d.ServiceType, Key: d.IsKeyedService ? d.ServiceKey : null))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.ServiceType.Name}{(g.Key.Key is null ? "" : $" [{g.Key.Key}]")} x{g.Count()}")
            .ToList();
        Assert.Empty(twice);
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider) && !d.IsKeyedService);
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider) && d.IsKeyedService && Equals(d.ServiceKey, TeamsRolloutBot.Commands.CommandsClock.Key));
        Assert.Single(services, d => d.ServiceType == typeof(TeamsRolloutBot.Feedback.ISurveyAudience));
        Assert.Single(services, d => d.ServiceType == typeof(TeamsRolloutBot.Commands.IWaveControl));
    }

    [Theory]
    [InlineData("Sqlite", "SingleInstanceLeadership", "LocalWaveLocks")]
    [InlineData("AzureStorage", "BlobLeaseLeadership", "BlobWaveLocks")]
    public void Leadership_and_wave_locks_come_from_the_chosen_provider_only(string provider, string leadership, string locks)
    {
        var services = Wiring(provider);
        Assert.Single(services, d => d.ServiceType == typeof(TeamsRolloutBot.Storage.ILeadership));
        Assert.Single(services, d => d.ServiceType == typeof(TeamsRolloutBot.Storage.IWaveLocks));
        using var provided = services.BuildServiceProvider();
        Assert.Equal(leadership, provided.GetRequiredService<TeamsRolloutBot.Storage.ILeadership>().GetType().Name);
        Assert.Equal(locks, provided.GetRequiredService<TeamsRolloutBot.Storage.IWaveLocks>().GetType().Name);
    }

    private ServiceCollection Wiring(string provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:SqlitePath"] = Path.Combine(_root, "rollout.db"),
            // Clients are only constructed here, never called.
            ["Storage:AzureConnectionString"] = "UseDevelopmentStorage=true",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(_root));
        services.AddRolloutBot(configuration);
        return services;
    }

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "TeamsRolloutBot";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

using TeamsRolloutBot.Hosting;
using System.Globalization;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// The real delivery services (store, scheduler, dispatcher, progress) on a real SQLite file, configured as a
/// production bot whose connector is <see cref="FakeTeams"/> and whose Graph is <see cref="FakeGraph"/>, both on loopback.
/// </summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    public const string Tenant = BotFactory.TenantId;
    public const string Lead = "00000000-0000-4000-8000-00000000aaaa";

    private IHost _host = null!;

    public FakeTeams Teams { get; private set; } = null!;
    public FakeGraph Graph { get; private set; } = null!;
    public IServiceProvider Services => _host.Services;
    public IDeliveryStore Store => Services.GetRequiredService<IDeliveryStore>();
    public DeliveryScheduler Scheduler => Services.GetRequiredService<DeliveryScheduler>();
    public DeliveryDispatcher Dispatcher => Services.GetRequiredService<DeliveryDispatcher>();

    public static async Task<DeliveryHarness> StartAsync(Dictionary<string, string?>? overrides = null, int tenantLimit = 500, bool local = false)
    {
        var harness = new DeliveryHarness { Teams = await FakeTeams.StartAsync(tenantLimit), Graph = await FakeGraph.StartAsync() };
        harness.Graph.TeamsApps.Teams = harness.Teams;
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = Path.Combine(folder, "rollout.db"),
            ["Rollout:WatchPlanFile"] = "false",
            ["Delivery:Enabled"] = "false",
            ["Delivery:TenantRatePerSecond"] = (tenantLimit * 0.9).ToString(CultureInfo.InvariantCulture),
            ["Delivery:MaxConcurrency"] = "8",
            ["Delivery:DefaultServiceUrl"] = harness.Teams.ServiceUrl,
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Delivery:RetryBaseDelay"] = "00:00:00.100",
            ["Delivery:InstallRetryDelay"] = "00:00:00.200",
            ["Delivery:MailFrom"] = "rollout@contoso.example",
            ["Graph:BaseUrl"] = harness.Graph.BaseUrl,
            ["Graph:TeamsAppCatalogId"] = "catalog-app-1",
            ["Bot:MaxShortRetryWait"] = "00:00:00",
        };
        if (local)
        {
            settings["Bot:LocalPlayground"] = "true";
        }
        else
        {
            settings["MicrosoftAppType"] = "SingleTenant";
            settings["MicrosoftAppId"] = BotFactory.AppId;
            settings["MicrosoftAppPassword"] = "not-a-real-secret";
            settings["MicrosoftAppTenantId"] = Tenant;
            settings["Bot:AllowedServiceUrls:0"] = harness.Teams.Url;
        }
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = folder });
        Directory.CreateDirectory(folder);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRolloutBot(builder.Configuration);
        // After the app's wiring: the last registration is the one resolved.
        builder.Services.AddSingleton<TokenCredential>(new StaticTokenCredential("test-token"));
        harness._host = builder.Build();
        if (settings.ContainsKey("Rollout:PlanPath"))
        {
            // Starts the plan provider (the delivery services stay manual: Delivery:Enabled=false).
            await harness._host.StartAsync(TestContext.Current.CancellationToken);
        }
        return harness;
    }

    /// <summary>Uses this plan instead of the plan file.</summary>
    public void UsePlan(DeliveryPlan plan) => Services.GetRequiredService<DeliveryPlanSource>().Override = plan;

    /// <summary>One scheduler pass, then the dispatcher until the outbox is empty (bounded).</summary>
    public async Task DeliverAsync(TimeSpan? timeout = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await Scheduler.RunOnceAsync(ct);
        await Dispatcher.StartAsync(ct);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline && await Store.NextDueAsync(ct) is not null)
        {
            await Task.Delay(50, ct);
        }
        await Dispatcher.StopAsync(ct);
    }

    public static PlannedSend Send(string message, string department, SendAudience audience, DateTimeOffset due) =>
        new($"wave-1/{message}/{department}/{audience.ToString().ToLowerInvariant()}", "wave-1", message, department, audience, due, "enrollment", "Enrollment");

    public static string User(int i) => $"00000000-0000-4000-8000-{i:x12}";

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Teams.DisposeAsync();
        await Graph.DisposeAsync();
    }
}

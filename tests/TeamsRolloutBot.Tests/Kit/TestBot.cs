using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Kit;

/// <summary>
/// The real bot (Program, through <see cref="WebApplicationFactory{TEntryPoint}"/>) configured as a SingleTenant
/// production bot whose OpenID metadata comes from <see cref="FakeOpenIdServer"/> and whose only extra allowed
/// serviceUrl is <see cref="FakeTeams"/>, with its own SQLite file. Built by <see cref="Create"/>; every suite starts
/// its bots here and posts activities through <see cref="PostAsync(JsonObject)"/>.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    public const string AppId = "6f1d2b1e-2a53-4f27-9f4e-2d7d1b2f0a11";
    public const string TenantId = "9b1c1f55-3f0e-4a57-8a55-0c7b7e6f2d22";

    /// <summary>The token the bot's credential hands out for its outbound calls (connector and Graph).</summary>
    public const string OutboundToken = "outbound-test-token";

    private readonly KitFactory _factory;
    private readonly TestBotBuilder _builder;
    private readonly bool _ownsFakes;
    private readonly FakeGraph? _graph;

    private TestBot(TestBotBuilder builder, KitFactory factory, FakeTeams teams, FakeOpenIdServer openId, FakeGraph? graph, bool ownsFakes)
    {
        _builder = builder;
        _factory = factory;
        _ownsFakes = ownsFakes;
        Teams = teams;
        OpenId = openId;
        _graph = graph;
        Settings = factory.Settings;
        Client = factory.CreateClient();
    }

    /// <summary>A builder for a new bot (with its own fake Teams and OpenID server).</summary>
    public static TestBotBuilder Create() => new();

    public HttpClient Client { get; }
    public IServiceProvider Services => _factory.Services;

    /// <summary>The fake Bot Connector every activity's serviceUrl points at.</summary>
    public FakeTeams Teams { get; }
    public FakeOpenIdServer OpenId { get; }

    /// <summary>The fake Graph given as an object (<see cref="TestBotBuilder.WithGraph(FakeGraph)"/>).</summary>
    public FakeGraph Graph => _graph ?? throw new InvalidOperationException("This bot was started without a FakeGraph object (TestBotBuilder.WithGraph).");

    /// <summary>Every setting the bot was started with.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The plan file (<see cref="TestBotBuilder.WithPlan"/>), or null.</summary>
    public string? PlanPath => Settings.GetValueOrDefault("Rollout:PlanPath");

    public string DatabasePath => Settings["Storage:SqlitePath"]!;

    /// <summary>The serviceUrl activities carry to reach <see cref="Teams"/>.</summary>
    public string ServiceUrl => Teams.ServiceUrl;

    /// <summary>
    /// Another instance of the same bot: same storage (the SQLite file, or the same Azure account and prefix with its
    /// own SQLite file), plan, settings, services and fakes; <paramref name="customize"/> may add to them.
    /// The fakes stay with this bot.
    /// </summary>
    public async Task<TestBot> StartSecondInstanceAsync(Action<TestBotBuilder>? customize = null)
    {
        var builder = _builder.Copy();
        if (builder.Settings.GetValueOrDefault("Storage:Provider") == "AzureStorage")
        {
            builder.Settings["Storage:SqlitePath"] = TestBotBuilder.NewDatabasePath();
        }
        customize?.Invoke(builder);
        return await builder.StartOnAsync(Teams, OpenId, _graph, ownsFakes: false);
    }

    /// <summary>A valid Bot Connector token for an activity sent from <paramref name="serviceUrl"/>.</summary>
    public string Token(string serviceUrl) => OpenId.CreateToken(AppId, serviceUrl);

    /// <summary>Posts an activity with a valid Bot Connector token for its serviceUrl; returns status and parsed body.</summary>
    public Task<TestResponse> PostAsync(JsonObject activity) =>
        PostRawAsync(activity.ToJsonString(), "Bearer " + Token((string)activity["serviceUrl"]!));

    /// <summary>Posts an activity with this Authorization header (null: none).</summary>
    public Task<TestResponse> PostAsync(JsonObject activity, string? authorization) => PostRawAsync(activity.ToJsonString(), authorization);

    /// <summary>Posts this body as it is, with this Authorization header (null: none).</summary>
    public async Task<TestResponse> PostRawAsync(string body, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new TestResponse(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, response.Headers);
    }

    /// <summary>The calls made to the connector after the first <paramref name="before"/>.</summary>
    public List<ConnectorCall> CallsSince(int before) => Teams.Calls.Skip(before).ToList();

    /// <summary>Uses this plan for delivery instead of the plan file.</summary>
    public void UsePlan(DeliveryPlan plan) => Services.GetRequiredService<DeliveryPlanSource>().Override = plan;

    /// <summary>
    /// One scheduler pass, then the dispatcher until the outbox is empty (bounded), for bots started with
    /// <see cref="TestBotBuilder.WithManualDelivery"/>.
    /// </summary>
    public async Task DeliverAsync(TimeSpan? timeout = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Services.GetRequiredService<IDeliveryStore>();
        var dispatcher = Services.GetRequiredService<DeliveryDispatcher>();
        await Services.GetRequiredService<DeliveryScheduler>().RunOnceAsync(ct);
        await dispatcher.StartAsync(ct);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline && await store.NextDueAsync(ct) is not null)
        {
            await Task.Delay(50, ct);
        }
        await dispatcher.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsFakes)
        {
            if (_graph is not null)
            {
                await _graph.DisposeAsync();
            }
            await Teams.DisposeAsync();
            await OpenId.DisposeAsync();
        }
    }

    internal static async Task<TestBot> StartAsync(TestBotBuilder builder, FakeTeams teams, FakeOpenIdServer openId, FakeGraph? graph, bool ownsFakes)
    {
        var settings = new Dictionary<string, string?>(builder.Settings);
        if (builder.Local)
        {
            settings["Bot:LocalPlayground"] = "true";
            foreach (var key in new[] { "MicrosoftAppType", "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "Bot:AllowedServiceUrls:0" })
            {
                settings.TryAdd(key, "");
            }
        }
        settings.TryAdd("MicrosoftAppType", "SingleTenant");
        settings.TryAdd("MicrosoftAppId", AppId);
        settings.TryAdd("MicrosoftAppPassword", "not-a-real-secret");
        settings.TryAdd("MicrosoftAppTenantId", TenantId);
        settings.TryAdd("Bot:OpenIdMetadataUrl", openId.MetadataUrl);
        settings.TryAdd("Bot:AllowedServiceUrls:0", teams.Url);
        settings.TryAdd("Telemetry:Exporter", "none");
        if (builder.ManualDelivery)
        {
            settings.TryAdd("Delivery:Enabled", "false");
            settings.TryAdd("Delivery:DefaultServiceUrl", teams.ServiceUrl);
        }
        if (graph is not null)
        {
            graph.TeamsApps.Teams ??= teams;
            settings.TryAdd("Graph:BaseUrl", graph.BaseUrl);
        }
        var factory = new KitFactory(settings, builder.ServiceChanges);
        try
        {
            var bot = new TestBot(builder, factory, teams, openId, graph, ownsFakes);
            _ = bot.Services;
            return bot;
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    private sealed class KitFactory(Dictionary<string, string?> settings, IReadOnlyList<Action<IServiceCollection>> services) : WebApplicationFactory<Program>
    {
        public IReadOnlyDictionary<string, string?> Settings => settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(collection =>
            {
                collection.AddSingleton<TokenCredential>(new StaticTokenCredential(OutboundToken));
                foreach (var change in services)
                {
                    change(collection);
                }
            });
        }
    }
}

/// <summary>How a <see cref="TestBot"/> is configured; <see cref="StartAsync"/> starts it with its fakes.</summary>
public sealed class TestBotBuilder
{
    private readonly List<Action<IServiceCollection>> _services = [];
    private FakeGraph? _graph;
    private int? _tenantLimit;

    internal TestBotBuilder()
    {
        Settings["Storage:SqlitePath"] = NewDatabasePath();
    }

    internal Dictionary<string, string?> Settings { get; private init; } = [];
    internal IReadOnlyList<Action<IServiceCollection>> ServiceChanges => _services;
    internal bool Local { get; private set; }
    internal bool ManualDelivery { get; private set; }

    /// <summary>Writes this plan to a fresh file and loads it (without watching the file).</summary>
    public TestBotBuilder WithPlan(string yaml)
    {
        var path = Path.Combine(NewFolder(), "plan.yaml");
        File.WriteAllText(path, yaml);
        return WithPlanFile(path);
    }

    /// <summary>Loads the plan from this file (without watching it, unless <c>Rollout:WatchPlanFile</c> says so).</summary>
    public TestBotBuilder WithPlanFile(string path)
    {
        Settings["Rollout:PlanPath"] = path;
        Settings.TryAdd("Rollout:WatchPlanFile", "false");
        return this;
    }

    /// <summary>
    /// No plan: Rollout:PlanPath names a file that is not there (without this the bot loads the sample plan from its
    /// content root, as the app's default says).
    /// </summary>
    public TestBotBuilder WithoutPlan() => WithPlanFile(Path.Combine(NewFolder(), "no-plan.yaml"));

    /// <summary>The bot's clock (<see cref="TimeProvider"/>) for everything.</summary>
    public TestBotBuilder WithClock(TimeProvider clock) => WithServices(s => s.AddSingleton(clock));

    /// <summary>The clock of the lead commands only (<see cref="CommandsClock"/>).</summary>
    public TestBotBuilder WithCommandsClock(TimeProvider clock) => WithServices(s => s.AddKeyedSingleton(CommandsClock.Key, clock));

    public TestBotBuilder WithSetting(string key, string? value)
    {
        Settings[key] = value;
        return this;
    }

    public TestBotBuilder WithSettings(IEnumerable<KeyValuePair<string, string?>>? settings)
    {
        foreach (var (key, value) in settings ?? [])
        {
            Settings[key] = value;
        }
        return this;
    }

    /// <summary>Storage:Provider=AzureStorage on this account (Azurite), with a fresh table prefix unless one is given.</summary>
    public TestBotBuilder WithAzurite(string connectionString, string? tablePrefix = null)
    {
        Settings["Storage:Provider"] = "AzureStorage";
        Settings["Storage:AzureConnectionString"] = connectionString;
        Settings["Storage:TablePrefix"] = tablePrefix ?? "k" + Guid.NewGuid().ToString("N")[..12];
        return this;
    }

    /// <summary>The SQLite provider on this file (for example an earlier bot's <see cref="TestBot.DatabasePath"/>), or a fresh one.</summary>
    public TestBotBuilder WithSqlite(string? path = null)
    {
        Settings.Remove("Storage:Provider");
        Settings["Storage:SqlitePath"] = path ?? NewDatabasePath();
        return this;
    }

    /// <summary>Local Agents Playground mode (Bot:LocalPlayground): no app identity, no tokens.</summary>
    public TestBotBuilder LocalPlayground()
    {
        Local = true;
        return this;
    }

    /// <summary>Changes to the bot's services after the app's own registrations (ConfigureTestServices).</summary>
    public TestBotBuilder WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Graph:BaseUrl points at a Graph fake the test owns.</summary>
    public TestBotBuilder WithGraph(string baseUrl) => WithSetting("Graph:BaseUrl", baseUrl);

    /// <summary>This Graph fake (its app installs add to <see cref="TestBot.Teams"/>); it is disposed with the bot.</summary>
    public TestBotBuilder WithGraph(FakeGraph graph)
    {
        _graph = graph;
        return this;
    }

    /// <summary>The fake Teams enforces Teams' rate limits at this many calls per second for the tenant.</summary>
    public TestBotBuilder WithTeamsLimits(int tenantPerSecond = 50)
    {
        _tenantLimit = tenantPerSecond;
        return this;
    }

    /// <summary>
    /// The delivery engine does not run by itself (Delivery:Enabled=false) and sends to <see cref="TestBot.Teams"/> by
    /// default; a test drives it with <see cref="TestBot.DeliverAsync"/> or the scheduler and dispatcher services.
    /// </summary>
    public TestBotBuilder WithManualDelivery()
    {
        ManualDelivery = true;
        return this;
    }

    /// <summary>Starts the fakes and the bot.</summary>
    public async Task<TestBot> StartAsync()
    {
        var openId = await FakeOpenIdServer.StartNewAsync();
        var teams = await FakeTeams.StartAsync(_tenantLimit);
        try
        {
            return await StartOnAsync(teams, openId, _graph, ownsFakes: true);
        }
        catch
        {
            await teams.DisposeAsync();
            await openId.DisposeAsync();
            throw;
        }
    }

    internal Task<TestBot> StartOnAsync(FakeTeams teams, FakeOpenIdServer openId, FakeGraph? graph, bool ownsFakes) =>
        TestBot.StartAsync(this, teams, openId, graph, ownsFakes);

    internal TestBotBuilder Copy()
    {
        var copy = new TestBotBuilder { Settings = new Dictionary<string, string?>(Settings), Local = Local, ManualDelivery = ManualDelivery, _tenantLimit = _tenantLimit };
        copy._services.AddRange(_services);
        return copy;
    }

    internal static string NewDatabasePath() => Path.Combine(NewFolder(), "rollout.db");

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}

/// <summary>The bot's answer to a posted activity: status, content type, body text and the body parsed as JSON.</summary>
public sealed record TestResponse(HttpStatusCode StatusCode, string Text, string? ContentType, HttpResponseHeaders Headers)
{
    public int Status => (int)StatusCode;

    public JsonNode? Body => Text.Length == 0 ? null : JsonNode.Parse(Text);
}

/// <summary>Bearer-header helpers.</summary>
public static class Auth
{
    public static string Bearer(string token) => new AuthenticationHeaderValue("Bearer", token).ToString();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>
/// Inbound: <c>POST /api/messages</c> of the real app (its Program, on Kestrel on loopback) with RS256 tokens from
/// <see cref="FakeOpenIdServer"/>, validated in full as in production, at a fixed number of concurrent requests. The
/// typing activity is answered without a reply; the message ("help" in a personal chat) is answered with a reply that
/// the bot sends to <see cref="FakeTeams"/> inside the request.
/// </summary>
public static class InboundBenchmark
{
    private const string AppId = "11111111-1111-1111-1111-111111111111";
    private const string TenantId = "22222222-2222-2222-2222-222222222222";
    private static readonly string[] Options = ["--concurrency", "--activity", "--seconds", "--warmup"];
    private static readonly string[] Flags = [];

    public static async Task<int> RunAsync(string[] arguments)
    {
        if (BenchmarkArgs.Parse(arguments, Options, Flags, out var error) is not { } args)
        {
            Console.Error.WriteLine("inbound: " + error);
            return 2;
        }
        var levels = args.Numbers("--concurrency", [16, 64]);
        var kinds = args.Text("--activity") switch
        {
            null or "both" => new[] { "typing", "message" },
            "typing" => ["typing"],
            "message" => ["message"],
            var other => null,
        };
        if (kinds is null)
        {
            Console.Error.WriteLine("inbound: --activity is typing, message or both");
            return 2;
        }
        var seconds = TimeSpan.FromSeconds(args.Number("--seconds", 10));
        var warmup = TimeSpan.FromSeconds(args.Number("--warmup", 3));

        await using var openId = await FakeOpenIdServer.StartNewAsync();
        await using var teams = await FakeTeams.StartAsync();
        teams.Record = false;
        var folder = Path.Combine(Path.GetTempPath(), "trb-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // The app's content root (its appsettings.json and card templates), which the factory would otherwise look for
        // beside the solution under the assembly's name.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TEAMSROLLOUTBOT", Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(FanoutBenchmark.SamplePlanPath()))!, "src", "TeamsRolloutBot"));
        await using var app = new BotApp(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "not-a-real-secret",
            ["MicrosoftAppTenantId"] = TenantId,
            ["Bot:OpenIdMetadataUrl"] = openId.MetadataUrl,
            ["Bot:AllowedServiceUrls:0"] = teams.Url,
            ["Rollout:PlanPath"] = FanoutBenchmark.SamplePlanPath(),
            ["Rollout:WatchPlanFile"] = "false",
            ["Storage:SqlitePath"] = Path.Combine(folder, "rollout.db"),
            ["Delivery:Enabled"] = "false",
            ["Telemetry:Exporter"] = "none",
            // Request logging at Information would measure the console, not the bot.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        app.UseKestrel(0);
        app.StartServer();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Teams reuses one token for its lifetime; every request's token is still validated in full (signature,
        // issuer, audience, lifetime, endorsements, serviceurl claim).
        var token = openId.CreateToken(AppId, teams.ServiceUrl);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(baseUrl),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the real app on {baseUrl}, RS256 tokens from a loopback OpenID issuer, replies to a fake connector; {warmup.TotalSeconds:0} s warm-up and {seconds.TotalSeconds:0} s per row; {Environment.ProcessorCount} cores"));
        var p99s = new Dictionary<(string Kind, int Concurrency), double>();
        var failed = 0L;
        foreach (var concurrency in levels)
        {
            foreach (var kind in kinds)
            {
                await DriveAsync(client, kind, teams.ServiceUrl, concurrency, warmup);
                var repliesBefore = teams.Accepted;
                var result = await DriveAsync(client, kind, teams.ServiceUrl, concurrency, seconds);
                // Every message must have had its reply at the fake connector before its request was answered.
                var missing = kind == "message" ? result.Count - (teams.Accepted - repliesBefore) : 0;
                failed += result.Failed + Math.Max(0, missing);
                p99s[(kind, concurrency)] = result.Percentile(0.99);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"inbound: {kind} c{concurrency}, {result.Count / seconds.TotalSeconds:0} req/s, p50 {result.Percentile(0.50):0.00} ms, p90 {result.Percentile(0.90):0.00} ms, p99 {result.Percentile(0.99):0.00} ms, errors {result.Failed}{(kind == "message" ? $", replies {teams.Accepted - repliesBefore}" : "")}"));
            }
        }
        foreach (var concurrency in levels)
        {
            if (p99s.TryGetValue(("typing", concurrency), out var typing) && p99s.TryGetValue(("message", concurrency), out var message))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"inbound: c{concurrency} message p99 / typing p99 = {message / typing:0.00} (goal at most 1.5){(concurrency == 16 ? $"; typing p99 {typing:0.00} ms (goal under 10 ms)" : "")}"));
            }
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The SQLite WAL may still be open; the temp folder is cleaned by the OS.
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Keeps <paramref name="concurrency"/> requests in flight for <paramref name="duration"/> and collects each latency.</summary>
    private static async Task<Latencies> DriveAsync(HttpClient client, string kind, string serviceUrl, int concurrency, TimeSpan duration)
    {
        var result = new Latencies();
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var local = new List<double>(4096);
            var failures = 0L;
            var n = 0;
            while (stop.Elapsed < duration)
            {
                // A distinct user and activity id per request, as many people typing and writing at once: the
                // inbound activity log would drop a repeated id as a retry.
                var body = Activity(kind, serviceUrl, worker, n++);
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/messages", content);
                local.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
                {
                    failures++;
                }
            }
            result.Add(local, failures);
        })));
        return result;
    }

    private static string Activity(string kind, string serviceUrl, int worker, int n)
    {
        var user = $"00000000-0000-4000-8000-{worker:x4}{n % 4096:x8}";
        var activity = new JsonObject
        {
            ["type"] = kind,
            ["id"] = $"{kind}-{worker}-{n}-{Guid.NewGuid():N}",
            ["channelId"] = "msteams",
            ["serviceUrl"] = serviceUrl,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["locale"] = "en-US",
            ["from"] = new JsonObject { ["id"] = "29:" + user, ["name"] = "Bench User", ["aadObjectId"] = user },
            ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "Rollout" },
            ["conversation"] = new JsonObject { ["id"] = "a:" + user, ["conversationType"] = "personal", ["tenantId"] = TenantId },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        };
        if (kind == "message")
        {
            activity["text"] = "help";
        }
        return activity.ToJsonString();
    }

    /// <summary>
    /// The real app's Program (the entry point of the assembly that holds <see cref="BotOptions"/>: this project has
    /// a Program of its own) with the benchmark's settings and a fixed outbound token (no Entra here).
    /// </summary>
    private sealed class BotApp(Dictionary<string, string?> settings) : WebApplicationFactory<BotOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddSingleton<TokenCredential>(new FixedTokenCredential()));
        }
    }

    private sealed class Latencies
    {
        private readonly List<double> _all = [];
        private long _failed;

        public int Count { get { lock (_all) { return _all.Count; } } }

        public long Failed => Interlocked.Read(ref _failed);

        public void Add(List<double> values, long failures)
        {
            lock (_all)
            {
                _all.AddRange(values);
            }
            Interlocked.Add(ref _failed, failures);
        }

        public double Percentile(double p)
        {
            lock (_all)
            {
                if (_all.Count == 0)
                {
                    return double.NaN;
                }
                _all.Sort();
                return _all[Math.Min(_all.Count - 1, (int)Math.Ceiling(p * _all.Count) - 1)];
            }
        }
    }
}

using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Graph;

/// <summary>The one Graph registration (AddGraph) against fake Graphs on loopback: token host check, Retry-After, settings.</summary>
public sealed class GraphClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Services(string baseUrl, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Graph:BaseUrl"] = baseUrl };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenCredential>(new StaticTokenCredential("graph-token"));
        services.AddOptions<TeamsRolloutBot.Protocol.BotOptions>();
        services.AddGraph(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_token_goes_to_the_configured_Graph_host_and_to_no_other()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var other = await FakeGraph.StartAsync();
        graph.Directory.Users["u1"] = new FakeUser("u1", "u1@contoso.example");
        other.Directory.Users["u1"] = new FakeUser("u1", "u1@contoso.example");
        await using var services = Services(graph.BaseUrl);
        var client = services.GetRequiredService<GraphClient>();

        var own = await client.SendJsonAsync(HttpMethod.Get, "users/u1", null, Ct);
        var elsewhere = await client.SendJsonAsync(HttpMethod.Get, other.BaseUrl + "/users/u1", null, Ct);

        Assert.Equal(GraphOutcome.Success, own.Outcome);
        Assert.Equal(GraphOutcome.Success, elsewhere.Outcome);
        Assert.Equal("Bearer graph-token", Assert.Single(graph.Calls).Authorization);
        Assert.Null(Assert.Single(other.Calls).Authorization);
    }

    [Fact]
    public async Task A_short_Retry_After_is_waited_out_and_a_long_one_is_returned_as_Throttled()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var services = Services(graph.BaseUrl);
        var gateway = services.GetRequiredService<GraphGateway>();

        graph.Faults.Next(429, 1, retryAfterSeconds: 1);
        var waited = await gateway.SendMailAsync("rollout@contoso.example", "a@contoso.example", "Intune", "<p>hi</p>", Ct);
        Assert.Equal(GraphOutcome.Success, waited.Outcome);
        Assert.Equal("a@contoso.example", Assert.Single(graph.Mail.Sent).To);

        graph.Faults.Next(429, 1, retryAfterSeconds: 120);
        var throttled = await gateway.SendMailAsync("rollout@contoso.example", "b@contoso.example", "Intune", "<p>hi</p>", Ct);
        Assert.Equal((GraphOutcome.Throttled, 429, TimeSpan.FromSeconds(120)), (throttled.Outcome, throttled.Status, throttled.RetryAfter));
        Assert.Single(graph.Mail.Sent);
        Assert.Equal(0, graph.Faults.Pending);
    }

    [Fact]
    public async Task A_500_on_a_POST_is_not_repeated_in_the_request()
    {
        await using var graph = await FakeGraph.StartAsync();
        await using var services = Services(graph.BaseUrl);
        var gateway = services.GetRequiredService<GraphGateway>();

        graph.Faults.Next(500, 1);
        var result = await gateway.SendMailAsync("rollout@contoso.example", "a@contoso.example", "Intune", "<p>hi</p>", Ct);

        Assert.Equal((GraphOutcome.Transient, 500), (result.Outcome, result.Status));
        Assert.Single(graph.Calls);
        Assert.Empty(graph.Mail.Sent);
    }

    [Fact]
    public void Bad_Graph_settings_are_refused_with_the_key_named()
    {
        var validator = new GraphOptionsValidator();
        string Fail(GraphOptions o) => string.Join("\n", validator.Validate(null, o).Failures ?? []);

        Assert.Contains("Graph:BaseUrl must be an absolute https URL", Fail(new GraphOptions { BaseUrl = "http://graph.example/v1.0" }), StringComparison.Ordinal);
        Assert.Contains("Graph:BaseUrl", Fail(new GraphOptions { BaseUrl = "graph.microsoft.com" }), StringComparison.Ordinal);
        Assert.Contains("Graph:Timeout", Fail(new GraphOptions { Timeout = TimeSpan.Zero }), StringComparison.Ordinal);
        Assert.Contains("Graph:MaxShortRetryWait", Fail(new GraphOptions { MaxShortRetryWait = TimeSpan.FromMinutes(5) }), StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new GraphOptions { BaseUrl = "http://127.0.0.1:5000/v1.0/" }).Succeeded);
        Assert.True(validator.Validate(null, new GraphOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Feedback:GraphBaseUrl", "Graph:BaseUrl")]
    [InlineData("Commands:GraphBaseUrl", "Graph:BaseUrl")]
    [InlineData("Feedback:GraphTimeout", "Graph:Timeout")]
    public async Task A_removed_Graph_key_is_refused_naming_its_replacement(string removed, string replacement)
    {
        await using var services = Services("https://graph.microsoft.com/v1.0", new() { [removed] = "https://graph.microsoft.com/v1.0" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphOptions>>().Value);

        Assert.Contains($"{removed} is no longer read: set {replacement} instead", error.Message, StringComparison.Ordinal);
    }
}

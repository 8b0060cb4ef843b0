using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Fakes;

namespace TeamsRolloutBot.Tests.Graph;

/// <summary>
/// The behaviour of the test kit's <see cref="FakeGraph"/> that other suites rely on: nextLink paging, the order and
/// scope of scripted faults, responses lost after the call took effect, and unknown routes.
/// </summary>
public sealed class FakeGraphTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transitive_members_are_paged_with_nextLinks_until_every_member_was_served_once()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Directory.PageSize = 2;
        graph.Directory.AddGroup("g", [.. Enumerable.Range(1, 5).Select(i => new FakeUser($"u{i}", $"u{i}@contoso.example"))]);
        using var http = new HttpClient();

        List<string> ids = [];
        string? next = graph.BaseUrl + "/groups/g/transitiveMembers/microsoft.graph.user?$top=999";
        while (next is not null)
        {
            var page = (await http.GetFromJsonAsync<JsonObject>(next, Ct))!;
            ids.AddRange(page["value"]!.AsArray().Select(u => (string)u!["id"]!));
            next = (string?)page["@odata.nextLink"];
        }

        Assert.Equal(["u1", "u2", "u3", "u4", "u5"], ids);
        Assert.Equal(3, graph.CallsTo("GET", "/microsoft.graph.user").Count);
        Assert.Equal("5", await http.GetStringAsync(graph.BaseUrl + "/groups/g/transitiveMembers/microsoft.graph.user/$count", Ct));
    }

    [Fact]
    public async Task A_fault_for_a_path_waits_for_its_call_and_Graph_down_answers_everything_until_up()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.Directory.AddUser(new FakeUser("u1", "u1@contoso.example"));
        using var http = new HttpClient();
        graph.Faults.NextTo("POST", "/sendMail", 429, retryAfterSeconds: 7);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(graph.BaseUrl + "/users/u1", Ct)).StatusCode);
        Assert.Equal(1, graph.Faults.Pending);
        graph.Faults.Down(503, 120);
        using (var down = await http.GetAsync(graph.BaseUrl + "/users/u1", Ct))
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "120"), (down.StatusCode, down.Headers.RetryAfter?.ToString()));
        }
        graph.Faults.Up();
        using var throttled = await http.PostAsJsonAsync(graph.BaseUrl + "/users/u1/sendMail", Mail(), Ct);

        Assert.Equal((HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(7)), (throttled.StatusCode, throttled.Headers.RetryAfter?.Delta));
        Assert.Equal(0, graph.Faults.Pending);
        Assert.Empty(graph.Mail.Sent);
        Assert.Equal(3, graph.Calls.Count);
    }

    [Fact]
    public async Task A_lost_response_is_a_500_after_the_call_took_effect()
    {
        await using var graph = await FakeGraph.StartAsync();
        using var http = new HttpClient();
        graph.Faults.LoseResponse("POST", "/sendMail");

        using var lost = await http.PostAsJsonAsync(graph.BaseUrl + "/users/rollout@contoso.example/sendMail", Mail(), Ct);
        using var next = await http.PostAsJsonAsync(graph.BaseUrl + "/users/rollout@contoso.example/sendMail", Mail(), Ct);

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.Accepted), (lost.StatusCode, next.StatusCode));
        Assert.Equal(2, graph.Mail.Sent.Count);
        Assert.Equal("rollout@contoso.example", graph.Mail.Sent.First().From);
    }

    [Fact]
    public async Task An_unknown_route_is_recorded_and_answered_404_with_a_Graph_error_body()
    {
        await using var graph = await FakeGraph.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, graph.BaseUrl + "/deviceManagement/managedDevices?$top=5");
        request.Headers.Authorization = new("Bearer", "t");

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NotFound", (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["error"]!["code"]!);
        var call = Assert.Single(graph.Calls);
        Assert.Equal(("/v1.0/deviceManagement/managedDevices", "?$top=5", "Bearer t"), (call.Path, call.Query, call.Authorization));
    }

    private static JsonObject Mail() => new()
    {
        ["message"] = new JsonObject
        {
            ["subject"] = "s",
            ["body"] = new JsonObject { ["contentType"] = "html", ["content"] = "<p>x</p>" },
            ["toRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = "a@contoso.example" } }),
        },
    };
}

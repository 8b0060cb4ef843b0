using Polly;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// Which Graph responses the in-process retry may wait out: 429, 503 and 504 (Graph's throttling answers; the request was
/// not carried out, so any method may be repeated) whose Retry-After is absent or short. A longer wait goes back to the
/// caller as <see cref="GraphOutcome.Throttled"/>, for its durable queue to schedule. 500, other statuses, network
/// errors and timeouts are not retried here: a POST may have been carried out, and the queues own those retries.
/// </summary>
internal static class GraphRetry
{
    public static ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, TimeSpan maxWait) =>
        ValueTask.FromResult(outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.GatewayTimeout } response
            && (Protocol.RetryAfterHeader.Of(response) is not { } wait || wait <= maxWait));
}

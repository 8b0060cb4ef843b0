using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The one in-request retry of outbound calls (connector and Graph): up to three quick retries with jittered
/// exponential backoff that honour a Retry-After. Which answers are retried, and how long a wait counts as short, is
/// the caller's predicate; longer waits are the durable queues'.
/// </summary>
public static class ShortRetry
{
    /// <summary>Adds the retry to <paramref name="pipeline"/>, retrying the outcomes <paramref name="shouldRetry"/> accepts.</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddShortRetry(this ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        Func<Outcome<HttpResponseMessage>, ValueTask<bool>> shouldRetry) =>
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => shouldRetry(args.Outcome),
        });
}

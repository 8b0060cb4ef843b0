using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>The tenant pacer and the per-conversation limits, on a fake clock.</summary>
public sealed class PacingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    private static IOptions<DeliveryOptions> Options(double rate = 10, string limits = "7/1s, 8/2s, 60/30s, 1800/1h") =>
        Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { TenantRatePerSecond = rate, ConversationLimits = limits });

    private async Task<List<TimeSpan>> GrantTimesAsync(TenantPacer pacer, int callers, TimeSpan step, TimeSpan until, Action<TimeSpan>? onTick = null)
    {
        var start = _time.GetUtcNow();
        var granted = new List<TimeSpan>();
        var tasks = Enumerable.Range(0, callers).Select(async _ =>
        {
            await pacer.WaitAsync(TestContext.Current.CancellationToken);
            lock (granted)
            {
                granted.Add(_time.GetUtcNow() - start);
            }
        }).ToList();
        for (var t = TimeSpan.Zero; t < until && tasks.Any(x => !x.IsCompleted); t += step)
        {
            onTick?.Invoke(t);
            _time.Advance(step);
            await Task.Yield();
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
        await Task.WhenAll(tasks);
        granted.Sort();
        return granted;
    }

    [Fact]
    public async Task Slots_are_spaced_evenly_at_the_configured_rate()
    {
        var pacer = new TenantPacer(Options(rate: 10), _time);
        var granted = await GrantTimesAsync(pacer, 25, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

        Assert.Equal(25, granted.Count);
        // 25 calls at 10/s take 2.4 s; no one-second window holds more than 10.
        Assert.InRange(granted[^1], TimeSpan.FromSeconds(2.4), TimeSpan.FromSeconds(2.5));
        for (var i = 10; i < granted.Count; i++)
        {
            Assert.True(granted[i] - granted[i - 10] >= TimeSpan.FromSeconds(1), $"call {i} at {granted[i]} is within a second of call {i - 10} at {granted[i - 10]}");
        }
    }

    [Fact]
    public async Task A_429_pauses_every_caller_for_the_Retry_After()
    {
        var pacer = new TenantPacer(Options(rate: 10), _time);
        var paused = false;
        var granted = await GrantTimesAsync(pacer, 20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20), t =>
        {
            if (!paused && t >= TimeSpan.FromMilliseconds(450))
            {
                paused = true;
                pacer.Pause(TimeSpan.FromSeconds(3));
            }
        });

        Assert.Equal(1, pacer.Throttles);
        Assert.DoesNotContain(granted, g => g > TimeSpan.FromMilliseconds(460) && g < TimeSpan.FromSeconds(3.45));
        Assert.InRange(granted.Count(g => g <= TimeSpan.FromMilliseconds(460)), 4, 6);
        Assert.Equal(20, granted.Count);
    }

    [Fact]
    public void A_conversation_gets_at_most_7_calls_a_second_8_in_two_and_60_in_thirty()
    {
        var pacer = new ConversationPacer(Options(), _time);
        var waits = Enumerable.Range(0, 61).Select(_ => pacer.Reserve("19:channel@thread.tacv2")).ToList();

        Assert.All(waits.Take(7), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.InRange(waits[7], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.01)); // the 8th waits for the 1 s window
        Assert.InRange(waits[8], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.01)); // the 9th for the 2 s window
        Assert.True(waits[60] >= TimeSpan.FromSeconds(30), $"the 61st call waits for the 30 s window, got {waits[60]}");
        Assert.Equal(TimeSpan.Zero, pacer.Reserve("a:another-chat"));
    }

    [Theory]
    [InlineData("7/1s, 8/2s, 60/30s, 1800/1h", true)]
    [InlineData("5/10m", true)]
    [InlineData("7 per second", false)]
    [InlineData("0/1s", false)]
    [InlineData("7/1d", false)]
    public void Conversation_limits_are_parsed_or_refused(string text, bool valid)
    {
        Assert.Equal(valid, DeliveryOptions.ParseLimits(text) is not null);
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { ConversationLimits = text });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Delivery:ConversationLimits", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bad_delivery_settings_are_refused_with_the_key_named()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { TenantRatePerSecond = 0, MaxConcurrency = 0, MaxAttempts = 0 });
        Assert.False(result.Succeeded);
        Assert.Contains("Delivery:TenantRatePerSecond", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Delivery:MaxConcurrency", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Delivery:MaxAttempts", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_time_compresses_one_plan_week_into_one_minute_from_the_demo_start()
    {
        var first = new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero);
        var anchor = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(anchor, DeliveryPlanSource.Compress(first, first, anchor, 10080));
        Assert.Equal(anchor.AddMinutes(3), DeliveryPlanSource.Compress(first.AddDays(21), first, anchor, 10080));
        Assert.Equal(anchor.AddSeconds(30), DeliveryPlanSource.Compress(first.AddDays(3.5), first, anchor, 10080));
    }
}

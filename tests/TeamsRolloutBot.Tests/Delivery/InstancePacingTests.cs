using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TeamsRolloutBot.Delivery;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>The tenant rate shared between instances: the pacers' share as the live count changes, on a fake clock.</summary>
public sealed class InstancePacingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 7, 5, 7, 0, 0, TimeSpan.Zero));

    private static IOptions<DeliveryOptions> Options(double rate = 48) =>
        Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { TenantRatePerSecond = rate });

    /// <summary>
    /// Like the dispatcher: <paramref name="workers"/> loops per pacer, each waiting for a slot and "sending" again and
    /// again, while the fake clock runs to <paramref name="until"/> in 5 ms steps. Returns the grant times of all pacers.
    /// </summary>
    private async Task<List<TimeSpan>> RunAsync(IReadOnlyList<TenantPacer> pacers, int workers, TimeSpan until, Action<TimeSpan>? onTick = null)
    {
        var start = _time.GetUtcNow();
        var granted = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        var loops = pacers.SelectMany(pacer => Enumerable.Range(0, workers).Select(async _ =>
        {
            try
            {
                while (true)
                {
                    await pacer.WaitAsync(stop.Token);
                    lock (granted)
                    {
                        granted.Add(_time.GetUtcNow() - start);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        })).ToList();
        var step = TimeSpan.FromMilliseconds(5);
        for (var t = TimeSpan.Zero; t < until; t += step)
        {
            onTick?.Invoke(t);
            _time.Advance(step);
            await Task.Yield();
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        lock (granted)
        {
            return [.. granted.Where(g => g < until).Order()];
        }
    }

    private static int MostInAnySecond(List<TimeSpan> granted)
    {
        var most = 0;
        for (int i = 0, j = 0; i < granted.Count; i++)
        {
            while (granted[i] - granted[j] >= TimeSpan.FromSeconds(1))
            {
                j++;
            }
            most = Math.Max(most, i - j + 1);
        }
        return most;
    }

    [Theory]
    [InlineData(48, 1, 48)]
    [InlineData(48, 2, 24)]
    [InlineData(50, 3, 16)]
    [InlineData(10, 4, 2)]
    [InlineData(1, 4, 0.25)]
    public void Each_instance_gets_the_tenant_rate_divided_by_the_live_instances_rounded_down_never_zero(double rate, int instances, double share)
    {
        Assert.Equal(share, TenantPacer.Share(rate, instances), 6);
        var pacer = new TenantPacer(Options(rate), _time);
        pacer.SetInstances(instances);
        Assert.Equal(share, pacer.RatePerSecond, 2);
    }

    [Fact]
    public async Task Two_instances_together_send_at_the_tenant_rate_and_never_above_it()
    {
        var pacers = new[] { new TenantPacer(Options(48), _time), new TenantPacer(Options(48), _time) };
        foreach (var pacer in pacers)
        {
            pacer.SetInstances(2);
        }

        var granted = await RunAsync(pacers, workers: 8, until: TimeSpan.FromSeconds(6));

        Assert.True(MostInAnySecond(granted) <= 48, $"{MostInAnySecond(granted)} calls within one second");
        // Both together still use the whole rate: 6 s at 48/s.
        Assert.InRange(granted.Count, 6 * 48 - 4, 6 * 48 + 2);
    }

    [Fact]
    public async Task One_pacer_follows_the_live_count_as_instances_join_and_leave()
    {
        var pacer = new TenantPacer(Options(48), _time);
        var granted = await RunAsync([pacer], workers: 16, until: TimeSpan.FromSeconds(12), onTick: t =>
        {
            if (t == TimeSpan.FromSeconds(3))
            {
                pacer.SetInstances(2);
            }
            else if (t == TimeSpan.FromSeconds(6))
            {
                pacer.SetInstances(3);
            }
            else if (t == TimeSpan.FromSeconds(9))
            {
                // Two instances stopped or expired: this one takes the whole rate again.
                pacer.SetInstances(1);
            }
        });

        int In(double from, double to) => granted.Count(g => g >= TimeSpan.FromSeconds(from) && g < TimeSpan.FromSeconds(to));
        // A second after each change (slots reserved before it run out first), the rate is the new share.
        Assert.InRange(In(1, 3), 95, 97);
        Assert.InRange(In(4, 6), 47, 49);
        Assert.InRange(In(7, 9), 31, 33);
        Assert.InRange(In(10, 12), 95, 97);
        Assert.True(MostInAnySecond(granted) <= 48);
    }

    [Fact]
    public async Task A_hold_gives_no_slots_before_it_ends_and_is_not_counted_as_a_429()
    {
        var pacer = new TenantPacer(Options(48), _time);
        pacer.Hold(_time.GetUtcNow() + TimeSpan.FromSeconds(2));

        var granted = await RunAsync([pacer], workers: 4, until: TimeSpan.FromSeconds(3));

        Assert.True(granted[0] >= TimeSpan.FromSeconds(2), $"first slot at {granted[0]}");
        Assert.InRange(granted.Count, 46, 49);
        Assert.Equal(0, pacer.Throttles);
    }

    [Fact]
    public void With_two_instances_a_conversation_gets_half_of_each_window()
    {
        var pacer = new ConversationPacer(Options(), _time);
        pacer.SetInstances(2);
        var waits = Enumerable.Range(0, 8).Select(_ => pacer.Reserve("19:channel@thread.tacv2")).ToList();

        // 7/1s and 8/2s become 3/1s and 4/2s: both instances together stay within Teams' 7 and 8.
        Assert.Equal([(3, TimeSpan.FromSeconds(1)), (4, TimeSpan.FromSeconds(2)), (30, TimeSpan.FromSeconds(30)), (900, TimeSpan.FromHours(1))], pacer.Windows);
        Assert.All(waits.Take(3), w => Assert.Equal(TimeSpan.Zero, w));
        Assert.InRange(waits[3], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.01));
        Assert.InRange(waits[4], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.01));

        pacer.SetInstances(1);
        Assert.Equal(7, pacer.Windows[0].Count);
    }

    [Fact]
    public void The_heartbeat_setting_is_validated_with_its_key_named()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { InstanceHeartbeat = TimeSpan.FromMilliseconds(100) });
        Assert.False(result.Succeeded);
        Assert.Contains("Delivery:InstanceHeartbeat", result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class Accepting : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    [Fact]
    public async Task A_retry_inside_the_connector_pipeline_waits_for_a_slot_like_a_new_call()
    {
        var pacer = new TenantPacer(Options(rate: 1), _time);
        var connector = new Accepting();
        using var observer = new ThrottleObserver(pacer) { InnerHandler = connector };
        using var invoker = new HttpMessageInvoker(observer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://smba.example/v3/conversations/a:1/activities");
        var ct = TestContext.Current.CancellationToken;

        // The sender took this call's slot before sending; the first attempt goes straight out.
        await pacer.WaitAsync(ct);
        using (await invoker.SendAsync(request, ct))
        {
        }
        Assert.Equal(1, connector.Calls);

        // The resilience pipeline sends the same request again: that waits for the next slot, one second later.
        var retry = invoker.SendAsync(request, ct);
        await Task.Delay(50, ct);
        Assert.False(retry.IsCompleted, "the retry went out without a slot");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await retry.WaitAsync(TimeSpan.FromSeconds(10), ct)).Dispose();
        Assert.Equal(2, connector.Calls);
    }
}

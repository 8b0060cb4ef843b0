using System.Diagnostics.Metrics;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Delivery;

/// <summary>Delivery metrics on the bot's meter (<c>TeamsRolloutBot</c>).</summary>
public static class DeliveryTelemetry
{
    private static readonly Meter Meter = new(BotTelemetry.Name);

    /// <summary><c>delivery.attempts</c>: delivery attempts by outcome and kind (Channel, Personal, Email).</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("delivery.attempts", description: "Delivery attempts by outcome and kind");

    /// <summary><c>delivery.jobs.enqueued</c>: jobs added to the outbox.</summary>
    public static readonly Counter<long> Enqueued = Meter.CreateCounter<long>("delivery.jobs.enqueued", description: "Jobs added to the outbox");

    /// <summary><c>delivery.pacing.instances</c>: live instances sharing the tenant rate, as this instance last counted them.</summary>
    public static readonly Gauge<int> PacingInstances = Meter.CreateGauge<int>("delivery.pacing.instances", description: "Live instances sharing the tenant rate");

    /// <summary><c>delivery.pacing.rate</c>: connector calls per second this instance may make (its share of the tenant rate).</summary>
    public static readonly Gauge<double> PacingRate = Meter.CreateGauge<double>("delivery.pacing.rate", unit: "{call}/s", description: "This instance's share of the tenant rate");
}

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
}

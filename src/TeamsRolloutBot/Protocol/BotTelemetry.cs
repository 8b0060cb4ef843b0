using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TeamsRolloutBot.Protocol;

/// <summary>The bot's OpenTelemetry names: one ActivitySource and one Meter, both called <c>TeamsRolloutBot</c>.</summary>
public static class BotTelemetry
{
    public const string Name = "TeamsRolloutBot";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary><c>bot.activities.received</c>: inbound activities by type and result.</summary>
    public static readonly Counter<long> ActivitiesReceived = Meter.CreateCounter<long>("bot.activities.received", description: "Inbound activities by type and HTTP status");

    /// <summary><c>bot.connector.calls</c>: outbound connector calls by outcome.</summary>
    public static readonly Counter<long> ConnectorCalls = Meter.CreateCounter<long>("bot.connector.calls", description: "Bot Connector calls by outcome");
}

using System.Reflection;
using Microsoft.Extensions.Logging;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>Each log event id names one event, so an operator's alert or query on an id finds exactly that event.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_LoggerMessage_event_id_in_the_bot_is_used_once()
    {
        var events = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.True(events.Count > 50, $"only {events.Count} [LoggerMessage] methods found");
        Assert.DoesNotContain(events, e => e.Attribute!.EventId == 0);
        var duplicates = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.True(duplicates.Count == 0, "event ids used more than once:\n" + string.Join("\n", duplicates));
    }
}

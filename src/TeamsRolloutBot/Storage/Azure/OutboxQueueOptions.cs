namespace TeamsRolloutBot.Storage.Azure;

/// <summary>Timing of the outbox queue (<c>&lt;prefix&gt;outbox</c>).</summary>
public sealed class OutboxQueueOptions
{
    /// <summary>Longest a message is hidden (Queue Storage allows 7 days): a job due later is hidden again each time its message shows up.</summary>
    public TimeSpan MaxHide { get; set; } = TimeSpan.FromDays(6);

    /// <summary>How long the message of a paused or cancelled wave's job is hidden before the wave is checked again.</summary>
    public TimeSpan HeldRecheck { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A job overdue by this much whose message was not seen for as long gets a new message from the sweep.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(10);
}

namespace TeamsRolloutBot.Feedback;

/// <summary>Wakes the feedback worker when there is new work (an answer to copy, a card to update).</summary>
public sealed class FeedbackWorkSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up is enough.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/> (on <paramref name="time"/>'s clock).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, linked.Token);
        var signalled = _signal.WaitAsync(linked.Token);
        await Task.WhenAny(delay, signalled);
        await linked.CancelAsync();
        try
        {
            await signalled;
        }
        catch (OperationCanceledException)
        {
            // Woken by the timer (or stopping).
        }
        try
        {
            await delay;
        }
        catch (OperationCanceledException)
        {
            // Woken by the signal (or stopping).
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _signal.Dispose();
}

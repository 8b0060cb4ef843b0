using System.Diagnostics;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>Samples a process's working set every 50 ms and keeps the peak.</summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private readonly int _processId;
    private long _peak;

    public PeakMemorySampler(int processId)
    {
        _processId = processId;
        _timer = new Timer(_ => Sample(), null, 0, 50);
    }

    public double PeakMegabytes { get { Sample(); return Interlocked.Read(ref _peak) / (1024.0 * 1024.0); } }

    private void Sample()
    {
        long current;
        try
        {
            using var process = Process.GetProcessById(_processId);
            current = process.WorkingSet64;
        }
        catch (ArgumentException)
        {
            return; // The process has exited.
        }
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}

using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Runs the catch-up at start-up (every tracked root in its window, whatever its interval says) and then every minute
/// for the roots whose turn has come.
/// </summary>
public sealed class ThreadReplyCatchUpWorker(ThreadReplyCatchUp catchUp, IOptions<ThreadRepliesOptions> options, TimeProvider time, ILogger<ThreadReplyCatchUpWorker> logger,
    Storage.ILeadership leadership)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !options.Value.CatchUpEnabled)
        {
            return;
        }
        var tick = options.Value.CatchUpInterval < TimeSpan.FromMinutes(1) ? options.Value.CatchUpInterval : TimeSpan.FromMinutes(1);
        var startUp = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Several instances (AzureStorage): the leader alone catches up.
                await leadership.WaitForLeadershipAsync(stoppingToken);
                await catchUp.RunOnceAsync(stoppingToken, startUp);
                startUp = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.CatchUpPassFailed(logger, ex);
            }
            try
            {
                await Task.Delay(tick, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

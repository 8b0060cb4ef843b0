using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Feedback;

/// <summary>The feedback background loop: SharePoint copy, card refresh lists, then due summaries and reminders; woken by new answers.</summary>
public sealed partial class FeedbackWorker(
    FeedbackSync sync, SurveyCardRefresher refresher, FeedbackNotifier notifier, FeedbackWorkSignal signal,
    IOptions<FeedbackOptions> options, TimeProvider time, ILogger<FeedbackWorker> logger, Storage.ILeadership leadership) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Several instances (AzureStorage): reminders, summaries and the SharePoint copy run on the leader only.
            await leadership.WaitForLeadershipAsync(stoppingToken);
            await RunStepAsync("sharepoint", () => sync.RunOnceAsync(stoppingToken), stoppingToken);
            await RunStepAsync("card-refresh", () => refresher.RunOnceAsync(stoppingToken), stoppingToken);
            await RunStepAsync("notices", () => notifier.RunOnceAsync(stoppingToken), stoppingToken);
            try
            {
                await signal.WaitAsync(options.Value.SyncInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunStepAsync(string step, Func<Task<int>> run, CancellationToken stoppingToken)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A broken step (database busy, bad plan) must not stop the loop; the next pass tries again.
            Log.StepFailed(logger, step, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1840, Level = LogLevel.Error, Message = "Feedback background step {Step} failed; retried on the next pass")]
        public static partial void StepFailed(ILogger logger, string step, Exception exception);
    }
}

using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Storage.Azure;

/// <summary>Every <c>Storage:OutboxSweepInterval</c>, on the leader only: gives due jobs that lost their queue message a new one.</summary>
internal sealed partial class OutboxSweeper(AzureTableDeliveryStore store, ILeadership leadership, IOptions<AzureStorageOptions> options, TimeProvider time,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await leadership.WaitForLeadershipAsync(stoppingToken);
                if (await store.SweepAsync(stoppingToken) is > 0 and var count)
                {
                    LogSwept(logger, count);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, ex);
            }
            try
            {
                await Task.Delay(options.Value.OutboxSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 9120, Level = LogLevel.Warning, Message = "Outbox sweep: {Count} due jobs had no queue message and were queued again.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 9121, Level = LogLevel.Error, Message = "Outbox sweep failed; trying again at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}

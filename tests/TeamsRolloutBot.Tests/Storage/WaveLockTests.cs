using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Storage.Sqlite;
using TeamsRolloutBot.Tests.Delivery;

namespace TeamsRolloutBot.Tests.Storage;

/// <summary>The scheduler expands a wave's send only under the wave's lock, and reads the wave's state again under it.</summary>
public sealed class WaveLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, 30)]
    [InlineData(true, 0)]
    public async Task A_cancel_that_lands_while_the_scheduler_waits_for_the_wave_lock_stops_the_expansion(bool cancel, int expectedJobs)
    {
        await using var h = await DeliveryBot.StartAsync();
        var users = Enumerable.Range(1, 30).Select(DeliveryBot.User).ToList();
        var send = DeliveryBot.Send("pre-1", "hr", SendAudience.Members, DateTimeOffset.UtcNow);
        h.UsePlan(new DeliveryPlan("test", [send],
            new Dictionary<string, DepartmentTarget> { ["hr"] = new DepartmentTarget("hr", "HR", null, null, null, users) }, [DeliveryBot.Lead], "en"));

        // A lead command holds the wave's lock (SQLite: the in-process lock; AzureStorage: the blob lease).
        var held = await h.Services.GetRequiredService<IWaveLocks>().AcquireAsync("wave-1", Ct);
        var pass = h.Scheduler.RunOnceAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.False(pass.IsCompleted, "the scheduler expanded the wave while its lock was held");
        if (cancel)
        {
            await using var connection = await h.Services.GetRequiredService<SqliteDatabase>().OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO wave_control (wave_id, state, start_date, updated_at, updated_by) VALUES ('wave-1', 'cancelled', NULL, $now, 'lead')";
            insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(Ct);
        }
        await held.DisposeAsync();
        await pass.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var jobs = (await h.Store.GetProgressAsync(DateTimeOffset.MinValue, Ct)).Sum(p => p.Total);
        Assert.Equal(expectedJobs, jobs);
        Assert.Equal(cancel ? PlannedSendState.Pending : PlannedSendState.Expanded, (await h.Store.FindSendAsync(send.Key, Ct))!.State);
    }
}

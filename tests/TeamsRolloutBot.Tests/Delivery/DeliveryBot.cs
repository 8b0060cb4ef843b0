using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Storage;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// The delivery suites' bot, built on the kit: the real delivery services (store, scheduler, dispatcher, progress) on a
/// real SQLite file, driven by the test (<see cref="TestBot.DeliverAsync"/>), with Teams' rate limits on in the fake
/// connector and <see cref="FakeGraph"/> as Graph, and no plan file unless <c>Rollout:PlanPath</c> is given (tests hand
/// the delivery plan over with <see cref="TestBot.UsePlan"/>); plus the suites' ids and sends.
/// </summary>
public static class DeliveryBot
{
    public const string Tenant = TestBot.TenantId;
    public const string Lead = "00000000-0000-4000-8000-00000000aaaa";

    /// <summary>
    /// Starts a bot whose fake Teams allows <paramref name="tenantLimit"/> calls per second and whose pacing stays under
    /// it; <paramref name="local"/>: local Playground mode.
    /// </summary>
    public static async Task<TestBot> StartAsync(Dictionary<string, string?>? overrides = null, int tenantLimit = 500, bool local = false)
    {
        var builder = TestBot.Create()
            .WithoutPlan()
            .WithTeamsLimits(tenantLimit)
            .WithGraph(await FakeGraph.StartAsync())
            .WithManualDelivery()
            .WithSettings(new Dictionary<string, string?>
            {
                ["Rollout:WatchPlanFile"] = "false",
                ["Delivery:TenantRatePerSecond"] = (tenantLimit * 0.9).ToString(CultureInfo.InvariantCulture),
                ["Delivery:MaxConcurrency"] = "8",
                ["Delivery:PollInterval"] = "00:00:00.050",
                ["Delivery:RetryBaseDelay"] = "00:00:00.100",
                ["Delivery:InstallRetryDelay"] = "00:00:00.200",
                ["Delivery:MailFrom"] = "rollout@contoso.example",
                ["Graph:TeamsAppCatalogId"] = "catalog-app-1",
                ["Bot:MaxShortRetryWait"] = "00:00:00",
            })
            .WithSettings(overrides);
        if (local)
        {
            builder.LocalPlayground();
        }
        return await builder.StartAsync();
    }

    public static PlannedSend Send(string message, string department, SendAudience audience, DateTimeOffset due) =>
        new($"wave-1/{message}/{department}/{audience.ToString().ToLowerInvariant()}", "wave-1", message, department, audience, due, "enrollment", "Enrollment");

    public static string User(int i) => $"00000000-0000-4000-8000-{i:x12}";

    extension(TestBot bot)
    {
        public IDeliveryStore Store => bot.Services.GetRequiredService<IDeliveryStore>();
        public DeliveryScheduler Scheduler => bot.Services.GetRequiredService<DeliveryScheduler>();
        public DeliveryDispatcher Dispatcher => bot.Services.GetRequiredService<DeliveryDispatcher>();
    }
}

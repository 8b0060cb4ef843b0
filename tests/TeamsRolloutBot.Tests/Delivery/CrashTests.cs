using System.Globalization;
using System.Text;
using TeamsRolloutBot.Fakes;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Delivery;

/// <summary>
/// The real bot as a child process, killed with SIGKILL in the middle of a wave and started again on the same SQLite
/// file: every member gets the message, and duplicates stay within the in-flight limit (Delivery:MaxConcurrency).
/// </summary>
public sealed class CrashTests
{
    private const int Members = 2000;
    private const int MaxConcurrency = 8;

    [Fact]
    public async Task A_kill_9_in_the_middle_of_a_wave_loses_nothing_and_duplicates_at_most_the_sends_in_flight()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var teams = await FakeTeams.StartAsync(tenantLimit: 1000);
        var folder = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var users = Enumerable.Range(1, Members).Select(i => $"00000000-0000-4000-8000-{i:x12}").ToList();
        var planPath = Path.Combine(folder, "plan.yaml");
        await File.WriteAllTextAsync(planPath, Plan(users, DateTimeOffset.UtcNow.AddMinutes(-1)), ct);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Bot__LocalPlayground"] = "true",
            ["Storage__SqlitePath"] = Path.Combine(folder, "rollout.db"),
            ["Rollout__PlanPath"] = planPath,
            ["Delivery__DefaultServiceUrl"] = teams.ServiceUrl,
            ["Delivery__TenantRatePerSecond"] = "400",
            ["Delivery__MaxConcurrency"] = MaxConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Delivery__LeaseDuration"] = "00:00:02",
            ["Delivery__SchedulerInterval"] = "00:00:01",
            ["Delivery__PollInterval"] = "00:00:00.100",
        };

        using (var first = BotProcess.Start(environment))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Delivered(teams, users) < Members / 4 && DateTime.UtcNow < deadline && !first.HasExited)
            {
                await Task.Delay(20, ct);
            }
            Assert.False(first.HasExited, first.Output);
            first.Kill();
        }
        var atKill = Delivered(teams, users);
        Assert.InRange(atKill, Members / 4, Members - 1);

        using (var second = BotProcess.Start(environment))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (Delivered(teams, users) < Members && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            await Task.Delay(1000, ct);
            second.Kill();
            var lost = users.Count(u => teams.MessagesTo(u) == 0);
            var duplicates = users.Sum(u => Math.Max(0, teams.MessagesTo(u) - 1));
            Assert.True(lost == 0, $"lost {lost} (delivered {Delivered(teams, users)} of {Members}, {atKill} at the kill)\n{second.Output}");
            Assert.InRange(duplicates, 0, MaxConcurrency);
        }
    }

    private static int Delivered(FakeTeams teams, List<string> users) => users.Count(u => teams.MessagesTo(u) > 0);

    internal static string Plan(IReadOnlyList<string> users, DateTimeOffset due)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("rollout: Crash test");
        yaml.AppendLine("timeZone: UTC");
        yaml.AppendLine("defaultLanguage: en");
        yaml.AppendLine("languages: [en]");
        yaml.AppendLine("businessHours: { start: \"00:00\", end: \"23:59\" }");
        yaml.AppendLine("weekendSends: keep");
        yaml.AppendLine("leads:");
        yaml.AppendLine("  users: [00000000-0000-4000-8000-00000000aaaa]");
        yaml.AppendLine("departments:");
        yaml.AppendLine("  - id: big");
        yaml.AppendLine("    name: { en: Big }");
        yaml.AppendLine("    team: \"19:big-team@thread.tacv2\"");
        yaml.AppendLine("    channel: \"19:big@thread.tacv2\"");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    members: {{ users: [{string.Join(", ", users)}] }}");
        yaml.AppendLine("waves:");
        yaml.AppendLine("  - id: w1");
        yaml.AppendLine("    name: { en: Wave 1 }");
        yaml.AppendLine("    departments: [big]");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    start: {due:yyyy-MM-dd}");
        yaml.AppendLine("    messages:");
        yaml.AppendLine("      - id: m1");
        yaml.AppendLine("        phase: enrollment");
        yaml.AppendLine("        offset: 0d");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"        time: \"{due:HH:mm}\"");
        yaml.AppendLine("        audience: members");
        yaml.AppendLine("        template: enrollment");
        yaml.AppendLine("        parameters:");
        yaml.AppendLine("          platforms: [windows, ios]");
        return yaml.ToString();
    }
}

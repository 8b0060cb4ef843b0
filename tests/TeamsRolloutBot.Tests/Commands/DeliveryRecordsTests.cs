using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Tests.Commands;

/// <summary>What the delivery engine recorded shows in <c>status</c> and in the deliveries export.</summary>
public sealed class DeliveryRecordsTests(CommandsHarness bot) : IClassFixture<CommandsHarness>
{
    [Fact]
    public async Task Status_counts_and_the_export_come_from_the_delivery_records()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = bot.Services.GetRequiredService<IDeliveryStore>();
        var sendKey = ScheduledSend.MakeKey("main", "enroll", "big", SendAudience.Members);
        var due = new DateTimeOffset(2027, 8, 9, 7, 0, 0, TimeSpan.Zero);
        await store.RegisterSendsAsync([new PlannedSend(sendKey, "main", "enroll", "big", SendAudience.Members, due, "enrollment")], ct);
        await store.MarkSendAsync(sendKey, PlannedSendState.Expanded, 4, null, ct);
        var jobs = Enumerable.Range(1, 4).Select(i => new OutboxJob($"{sendKey}/user-{i}", sendKey, "main", "enroll", "big", DeliveryKind.Personal, $"user-{i}", "en", due)).ToList();
        await store.EnqueueAsync(jobs, ct);
        await store.CompleteAsync(jobs[0].Key, new DeliveryResult(DeliveryOutcome.Delivered), ct);
        await store.CompleteAsync(jobs[1].Key, new DeliveryResult(DeliveryOutcome.Delivered), ct);
        await store.CompleteAsync(jobs[2].Key, new DeliveryResult(DeliveryOutcome.BotBlocked, "blocked by the user"), ct);

        var status = await bot.AskAsync("status main");
        Assert.Contains("Deliveries: 2 delivered, 1 failed, 1 waiting, 0 skipped", status.Text, StringComparison.Ordinal);
        var other = await bot.AskAsync("status pilot");
        Assert.Contains("Deliveries: 0 delivered, 0 failed, 0 waiting, 0 skipped", other.Text, StringComparison.Ordinal);

        await bot.AskAsync("export deliveries");
        var consent = bot.Personal("");
        consent.Remove("text");
        consent["type"] = "invoke";
        consent["name"] = "fileConsent/invoke";
        consent["value"] = new JsonObject
        {
            ["action"] = "accept",
            ["context"] = new JsonObject { ["kind"] = "deliveries" },
            ["uploadInfo"] = new JsonObject { ["uploadUrl"] = bot.Upload.Url + "/upload/2", ["name"] = "d.csv", ["contentUrl"] = "https://x.example/d.csv", ["uniqueId"] = "u", ["fileType"] = "csv" },
        };
        var count = bot.Upload.Puts.Count;
        await bot.InvokeAsync(consent);
        var csv = Encoding.UTF8.GetString(bot.Upload.Puts.Skip(count).Single().Body[3..]);
        // One row per recipient of the expanded send, with its outcome.
        const string planned = "main,enroll,big,members,2027-08-09 09:00,2027-08-09T07:00:00Z,scheduled,";
        Assert.Contains(planned + "delivered,,1:1,user-1,delivered,,1,", csv, StringComparison.Ordinal);
        Assert.Contains(planned + "delivered,,1:1,user-2,delivered,,1,", csv, StringComparison.Ordinal);
        Assert.Contains(planned + "failed,blocked by the user,1:1,user-3,botblocked,the person blocked or removed the bot,1,", csv, StringComparison.Ordinal);
        Assert.Contains(planned + "queued,,1:1,user-4,,,0,", csv, StringComparison.Ordinal);
        Assert.Contains("main,prepare,big,channel,", csv, StringComparison.Ordinal);
        Assert.Contains(",scheduled,not registered yet,", csv, StringComparison.Ordinal);
    }
}

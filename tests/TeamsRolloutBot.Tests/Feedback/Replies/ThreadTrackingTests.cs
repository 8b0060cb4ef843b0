using Microsoft.Extensions.DependencyInjection;
using TeamsRolloutBot.Delivery;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Delivery;
using TeamsRolloutBot.Storage.Sqlite;

namespace TeamsRolloutBot.Tests.Feedback.Replies;

/// <summary>Delivery records the channel posts whose replies are feedback.</summary>
public sealed class ThreadTrackingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_post_enrollment_channel_post_is_tracked_with_its_team_channel_root_wave_department_and_message_and_other_posts_are_not()
    {
        await using var h = await DeliveryBot.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var it = new DepartmentTarget("it", "IT", "19:team-it@thread.tacv2", "19:it-rollout@thread.tacv2", null, []);
        var post = new PlannedSend("wave-1/post-1/it/channel", "wave-1", "post-1", "it", SendAudience.Channel, now, "enrollment", "PostEnrollment");
        var pre = DeliveryBot.Send("pre-1", "it", SendAudience.Channel, now);
        h.UsePlan(new DeliveryPlan("test", [post, pre], new Dictionary<string, DepartmentTarget> { ["it"] = it }, [DeliveryBot.Lead], "en"));

        await h.DeliverAsync();

        var log = await h.Store.GetDeliveryLogAsync("19:it-rollout@thread.tacv2", Ct);
        Assert.Equal(2, log.Count);
        var postLog = log.Single(l => l.MessageId == "post-1");
        var roots = await h.Services.GetRequiredService<SqliteThreadReplyStore>().RootsAsync(Ct);
        var root = Assert.Single(roots);
        Assert.Equal(postLog.ActivityId, root.RootMessageId);
        Assert.Equal(("19:it-rollout@thread.tacv2", "19:team-it@thread.tacv2", "wave-1", "it", "post-1"),
            (root.ChannelId, root.TeamId, root.WaveId, root.DepartmentId, root.MessageId));
    }
}

using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public class ReconcilerTests
{
    [Fact]
    public void Editing_the_plan_while_a_wave_runs_keeps_sent_messages_sent()
    {
        var before = ScheduleExpander.Expand(PlanFixtures.LoadSample());
        var now = new DateTimeOffset(2027, 7, 20, 12, 0, 0, TimeSpan.Zero); // IT wave in week 3
        var sent = before.Where(s => s.Utc <= now).Select(s => new SentRecord(s.Key, s.Fingerprint, s.Utc)).ToList();
        Assert.Contains(sent, r => r.Key == "it/enrollment/it/members");

        // The lead edits the running plan: enrollment loses macOS, post-enrollment moves to 11:00, pre-rollout-2 is removed.
        var edited = PlanFixtures.SampleText
            .Replace("""
                  - id: pre-rollout-2          # block 3: e-mail 2 pre-rollout, second week
                    phase: pre-enrollment
                    offset: 1w
                    time: "09:30"
                    audience: channel
                    template: pre-enrollment
                    parameters:
                      resources:
                        - { title: { nl: Wat kan IT wel en niet zien?, en: What can IT see and not see? }, url: https://learn.microsoft.com/mem/intune/user-help/what-info-can-your-company-see-when-you-enroll-your-device-in-intune }

                """, "", StringComparison.Ordinal)
            .Replace("""
                    audience: both
                    template: enrollment
                    parameters:
                      platforms: [windows, ios, android, macos]
                """, """
                    audience: both
                    template: enrollment
                    parameters:
                      platforms: [windows, ios, android]
                """, StringComparison.Ordinal)
            .Replace("time: \"10:00\"", "time: \"11:00\"", StringComparison.Ordinal);
        Assert.NotEqual(PlanFixtures.SampleText, edited);
        var after = ScheduleExpander.Expand(PlanFixtures.ParseValid(edited));

        var states = PlanReconciler.Reconcile(after, sent).ToDictionary(r => r.Key);

        Assert.Equal(SendState.Sent, states["introduction/intro-meeting/it/channel"].State);
        Assert.Equal(SendState.Sent, states["it/pre-rollout-1/it/members"].State);
        Assert.Equal(SendState.ChangedAfterSend, states["it/enrollment/it/members"].State);
        Assert.Equal(SendState.Sent, states["it/enrollment-email/it/email"].State);
        Assert.Equal(SendState.Removed, states["it/pre-rollout-2/it/channel"].State);
        Assert.Null(states["it/pre-rollout-2/it/channel"].Send);
        var post = states["it/post-enrollment/it/members"];
        Assert.Equal(SendState.Due, post.State);
        Assert.Equal(new DateTimeOffset(2027, 7, 26, 9, 0, 0, TimeSpan.Zero), post.Send!.Utc);
        Assert.Equal(SendState.Due, states["retail/enrollment/retail/members"].State);

        // Nothing already sent is ever due again, and every sent record is accounted for.
        var sentKeys = sent.Select(r => r.Key).ToHashSet();
        Assert.DoesNotContain(states.Values, r => r.State == SendState.Due && sentKeys.Contains(r.Key));
        Assert.Equal(sentKeys.Order(), states.Values.Where(r => r.State != SendState.Due).Select(r => r.Key).Order());
    }

    [Fact]
    public void Unchanged_plan_reconciles_to_sent_and_due_only()
    {
        var schedule = ScheduleExpander.Expand(PlanFixtures.LoadSample());
        var sent = schedule.Take(5).Select(s => new SentRecord(s.Key, s.Fingerprint, s.Utc)).ToList();

        var result = PlanReconciler.Reconcile(ScheduleExpander.Expand(PlanFixtures.LoadSample()), sent);

        Assert.Equal(5, result.Count(r => r.State == SendState.Sent));
        Assert.Equal(schedule.Count - 5, result.Count(r => r.State == SendState.Due));
        Assert.Equal(schedule.Count, result.Count);
    }
}

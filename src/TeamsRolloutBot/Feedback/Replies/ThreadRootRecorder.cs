using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Called by delivery after each channel post: posts of a post-enrollment message, or of any plan message with
/// <c>collectReplies: true</c>, are recorded as tracked thread roots so their replies are collected as feedback.
/// </summary>
public sealed class ThreadRootRecorder(IThreadReplyStore store, PlanProvider plans, TimeProvider time, ILogger<ThreadRootRecorder> logger)
{
    /// <summary>True when replies to this plan message are feedback.</summary>
    public bool Collects(string waveId, string messageId, string phase)
    {
        if (string.Equals(phase, nameof(MessagePhase.PostEnrollment), StringComparison.OrdinalIgnoreCase)
            || string.Equals(phase, "post-enrollment", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var plan = plans.Current;
        var message = plan?.FindWave(waveId)?.EffectiveMessages.FirstOrDefault(m => m.Id == messageId)
            ?? plan?.SharedMessages.FirstOrDefault(m => m.Id == messageId);
        return message?.CollectReplies == true;
    }

    /// <summary>
    /// Records a delivered channel post when its replies are collected. <paramref name="teamAadGroupId"/> may be
    /// unknown yet; it is filled in from the first reply (channelData.team.aadGroupId). Never throws: the post is out,
    /// and a failure here must not make delivery post it again.
    /// </summary>
    public async Task RecordAsync(string waveId, string messageId, string departmentId, string phase, string channelId, string? teamId,
        string? teamAadGroupId, string? rootMessageId, CancellationToken cancellationToken)
    {
        if (!Collects(waveId, messageId, phase))
        {
            return;
        }
        if (string.IsNullOrEmpty(rootMessageId))
        {
            Log.RootWithoutId(logger, waveId, messageId, departmentId);
            return;
        }
        // A plan may name the team by its Entra group id instead of the 19: id.
        var groupId = teamAadGroupId ?? (Guid.TryParse(teamId, out _) ? teamId : null);
        try
        {
            await store.TrackAsync(new ThreadRoot(rootMessageId, channelId, teamId, groupId, waveId, departmentId, messageId, time.GetUtcNow()), cancellationToken);
        }
#pragma warning disable CA1031 // the post is delivered; losing the tracking is logged, not retried by re-posting
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RootNotRecorded(logger, ex, waveId, messageId, departmentId);
        }
    }
}

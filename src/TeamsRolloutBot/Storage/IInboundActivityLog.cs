namespace TeamsRolloutBot.Storage;

/// <summary>
/// Remembers which inbound activities were handled, so a redelivery (same channelId, conversation id and activity id;
/// Teams redelivers when the bot answers slowly, possibly to another instance) is handled once. A claim is an
/// insert-if-absent: of two instances claiming at once, one wins.
/// </summary>
public interface IInboundActivityLog
{
    /// <summary>True when this activity is seen for the first time (and is now claimed); false for a redelivery.</summary>
    Task<bool> TryClaimAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);

    /// <summary>Releases a claim when handling failed, so Teams' redelivery is handled instead of dropped.</summary>
    Task ReleaseAsync(string channelId, string conversationId, string activityId, CancellationToken cancellationToken);
}

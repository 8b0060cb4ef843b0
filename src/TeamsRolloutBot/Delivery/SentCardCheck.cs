using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Classifies the plan's messages against the cards in Teams: each live sent card is rendered again from the current
/// plan in its language and its SHA-256 compared with the one recorded when it was sent.
/// </summary>
public sealed class SentCardCheck(ISentCardStore cards, IDeliveryStore store, DeliveryContent content)
{
    /// <summary>Every plan message, then every message that has cards in Teams but is no longer in the plan.</summary>
    public async Task<IReadOnlyList<MessageCheck>> ClassifyAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var keys = ScheduleExpander.Expand(plan).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var live = (await cards.GetSentAsync(null, cancellationToken)).Where(c => c.IsLive).ToList();
        var rendered = new Dictionary<(string, string?), string?>();
        var checks = new List<MessageCheck>();
        var byMessage = live.GroupBy(c => c.MessageId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var messageIds = plan.Waves.SelectMany(w => w.EffectiveMessages).Concat(plan.SharedMessages).Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var messageId in messageIds)
        {
            var sent = byMessage.Remove(messageId, out var list) ? list : [];
            var changed = new List<string>();
            var removed = 0;
            foreach (var card in sent)
            {
                if (!keys.Contains(ScheduledKey(card.SendKey)))
                {
                    removed++;
                    continue;
                }
                var now = await FingerprintAsync(card, rendered, cancellationToken);
                if (now is not null && now != card.Fingerprint)
                {
                    changed.Add(now);
                }
            }
            var state = changed.Count > 0 ? SendState.ChangedAfterSend : sent.Count > removed ? SendState.Sent : sent.Count > 0 ? SendState.Removed : SendState.Due;
            checks.Add(new MessageCheck(messageId, state, sent.Count, changed.Count, removed,
                changed.Count > 0 ? messageId + ":" + CardFingerprint.OfSet(changed) : null));
        }
        checks.AddRange(byMessage.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new MessageCheck(m.Value[0].MessageId, SendState.Removed, m.Value.Count, 0, m.Value.Count, null)));
        return checks;
    }

    /// <summary>What the card of this send says now in this language (null when the send is not stored).</summary>
    public async Task<string?> FingerprintAsync(SentCard card, Dictionary<(string, string?), string?> cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(cache);
        if (cache.TryGetValue((card.SendKey, card.Language), out var known))
        {
            return known;
        }
        string? fingerprint = null;
        if (await store.FindSendAsync(card.SendKey, cancellationToken) is { } record)
        {
            try
            {
                fingerprint = CardFingerprint.Of(content.RenderTeams(record.Send, card.Language));
            }
            catch (Exception ex) when (ex is Cards.CardTemplateException or ArgumentException)
            {
                fingerprint = null;
            }
        }
        cache[(card.SendKey, card.Language)] = fingerprint;
        return fingerprint;
    }

    /// <summary>A lead's "send … now" has its own key (…/now-&lt;request&gt;) for the scheduled send it repeats.</summary>
    public static string ScheduledKey(string sendKey)
    {
        ArgumentNullException.ThrowIfNull(sendKey);
        var now = sendKey.IndexOf("/now-", StringComparison.Ordinal);
        return now > 0 ? sendKey[..now] : sendKey;
    }
}

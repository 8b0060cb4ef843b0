using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Survey recipients from the delivery records: the people a wave's survey card was delivered to 1:1 in a department.
/// Before the survey went out (no 1:1 jobs yet) the plan's figures apply (<see cref="PlanSurveyAudience"/>).
/// </summary>
public sealed class DeliveredSurveyAudience(PlanProvider plans, IDeliveryStore store) : ISurveyAudience
{
    private readonly PlanSurveyAudience _fallback = new(plans);

    public async Task<SurveyRecipients> GetRecipientsAsync(string waveId, string departmentId, CancellationToken cancellationToken)
    {
        var wave = plans.Current?.FindWave(waveId);
        var surveys = wave?.EffectiveMessages.Where(m => m.Template == Cards.CardTemplateIds.Survey).Select(m => m.Id).ToList() ?? [];
        var people = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sent = false;
        foreach (var messageId in surveys)
        {
            var (hasJobs, delivered) = await store.GetDeliveredPeopleAsync(waveId, messageId, departmentId, cancellationToken);
            sent |= hasJobs;
            people.UnionWith(delivered);
        }
        if (!sent)
        {
            return await _fallback.GetRecipientsAsync(waveId, departmentId, cancellationToken);
        }
        var ids = people.Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new SurveyRecipients(ids.Count, ids, SurveyRecipientSource.Delivered);
    }
}

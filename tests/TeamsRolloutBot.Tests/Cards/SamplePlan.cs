using TeamsRolloutBot.Tests.Infrastructure;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Plan;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>The sample plan (samples/intune-rollout.yaml) and every card it and the bot produce, in both languages.</summary>
internal static class SamplePlan
{
    public static string RepoRoot => RepoPaths.Root;

    public static string PlanPath => Path.Combine(RepoRoot, "samples", "intune-rollout.yaml");

    public static RolloutPlan Plan { get; } = PlanLoader.LoadFile(PlanPath, CardMessageRules.Instance).Plan!;

    /// <summary>One card to render: a name for messages, the template and its data.</summary>
    public sealed record Case(string Name, string TemplateId, JsonObject Data, string Language)
    {
        public override string ToString() => $"{Name} [{Language}]";
    }

    /// <summary>
    /// Every plan message in every wave and department, plus the bot's own cards, plus the messages of every plan example
    /// in docs/plan-format.md and docs/cards.md (<see cref="DocExamples"/>), in nl and en.
    /// </summary>
    public static IReadOnlyList<Case> AllCases { get; } = BuildCases();

    private static List<Case> BuildCases()
    {
        var cases = new List<Case>();
        foreach (var lang in new[] { "nl", "en" })
        {
            foreach (var m in PlanCards.AllMessages(Plan))
                cases.Add(new Case($"{m.MessageId}/{m.WaveId}/{m.DepartmentId}", m.TemplateId, m.Data.ToJson(), lang));
            foreach (var id in CardTemplateIds.All.Except([CardTemplateIds.Introduction, CardTemplateIds.PreEnrollment, CardTemplateIds.Enrollment]))
                cases.Add(new Case($"bot:{id}", id, PlanCards.Example(Plan, id).ToJson(), lang));
            // An example that does not load fails DocExampleTests; here it has no cards.
            foreach (var example in DocExamples.All)
            {
                if (example.Load().Plan is not { } plan) continue;
                foreach (var m in PlanCards.AllMessages(plan))
                    cases.Add(new Case($"doc:{example}/{m.MessageId}/{m.WaveId}/{m.DepartmentId}", m.TemplateId, m.Data.ToJson(), lang));
            }
        }
        return cases;
    }
}

using Json.Schema;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Tests.Infrastructure;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary>The repo's sample plan and a small valid plan whose line numbers the validation tests rely on.</summary>
internal static class PlanFixtures
{
    public static string RepoRoot => RepoPaths.Root;

    public static string SamplePath => Path.Combine(RepoRoot, "samples", "intune-rollout.yaml");

    public static string SchemaPath => Path.Combine(RepoRoot, "schemas", "plan.schema.json");

    /// <summary>The shipped plan schema, built once: JsonSchema.Net refuses to register the same $id twice.</summary>
    public static JsonSchema Schema => LazySchema.Value;

    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    public static string SampleText => File.ReadAllText(SamplePath);

    public static RolloutPlan LoadSample()
    {
        var result = PlanLoader.LoadFile(SamplePath, CardMessageRules.Instance);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Plan!;
    }

    // Line numbers matter: ValidationTests point at them.
    public const string Small = """
        rollout: Test rollout
        timeZone: Europe/Amsterdam
        defaultLanguage: nl
        languages: [nl, en]
        leads: { users: [lead@contoso.example] }
        departments:
          - id: it
            name: IT
            team: "19:it-team@thread.tacv2"
            channel: "19:it@thread.tacv2"
            members: { group: 11111111-1111-1111-1111-111111111101 }
          - id: hr
            name: { nl: Personeelszaken, en: HR }
            team: "19:hr-team@thread.tacv2"
            channel: "19:hr@thread.tacv2"
            members: { users: [a@contoso.example] }
        waves:
          - id: it
            departments: [it]
            start: 2027-07-05
          - id: hr
            departments: [hr]
            start: 2027-08-02
        messages:
          - id: pre-1
            phase: pre-enrollment
            offset: 0w
            time: "09:30"
            audience: both
            template: pre-enrollment
            texts:
              title: { nl: Binnenkort, en: Coming soon }
          - id: enroll
            phase: enrollment
            offset: 2w
            time: "09:00"
            audience: members
            template: enrollment
            parameters: { platforms: [windows, ios] }
        """;

    /// <summary>The small plan with one exact piece of text replaced (fails when the text is not there, so edits stay honest).</summary>
    public static string SmallWith(string find, string replace)
    {
        Assert.Contains(find, Small, StringComparison.Ordinal);
        return Small.Replace(find, replace, StringComparison.Ordinal);
    }

    public static PlanLoadResult Parse(string yaml) => PlanLoader.Parse(yaml, "plan.yaml", CardMessageRules.Instance);

    public static RolloutPlan ParseValid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Plan!;
    }
}

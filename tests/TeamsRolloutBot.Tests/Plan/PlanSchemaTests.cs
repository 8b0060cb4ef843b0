using System.Text.Json;
using Json.Schema;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

public class PlanSchemaTests
{
    private static JsonSchema Schema => PlanFixtures.Schema;

    private static EvaluationResults Evaluate(string yaml)
    {
        var json = YamlJson.Parse(yaml)!.ToJsonString();
        using var document = JsonDocument.Parse(json);
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join(Environment.NewLine, (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [Fact]
    public void Sample_plan_is_valid_against_the_shipped_schema()
    {
        var results = Evaluate(PlanFixtures.SampleText);

        Assert.True(results.IsValid, Describe(results));
    }

    [Fact]
    public void Small_test_plan_is_valid_against_the_schema()
    {
        Assert.True(Evaluate(PlanFixtures.Small).IsValid);
    }

    [Theory]
    [InlineData("phase: pre-enrollment", "phase: pre-enrolment")]
    [InlineData("offset: 0w", "ofset: 0w")]
    [InlineData("template: pre-enrollment", "template: welcome")]
    [InlineData("audience: both", "audience: everyone")]
    [InlineData("languages: [nl, en]", "languages: [nl, de]")]
    [InlineData("time: \"09:30\"", "time: \"9.30\"")]
    [InlineData("title: { nl: Binnenkort, en: Coming soon }", "title: { nl: Binnenkort, fr: Bientôt }")]
    [InlineData("platforms: [windows, ios]", "platforms: { windows: https://contoso.example/windows }")]
    [InlineData("platforms: [windows, ios]", "platforms: [windows, { id: linux }]")]
    public void Schema_rejects_what_the_validator_rejects(string find, string replace)
    {
        Assert.False(Evaluate(PlanFixtures.SmallWith(find, replace)).IsValid);
        Assert.False(PlanFixtures.Parse(PlanFixtures.SmallWith(find, replace)).IsValid);
    }

    [Fact]
    public void Sample_points_editors_at_the_schema()
    {
        Assert.StartsWith("# yaml-language-server: $schema=../schemas/plan.schema.json", PlanFixtures.SampleText, StringComparison.Ordinal);
    }
}

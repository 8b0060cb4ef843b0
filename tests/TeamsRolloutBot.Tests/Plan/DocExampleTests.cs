using System.Text.Json;
using Json.Schema;
using TeamsRolloutBot.Plan;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary>Every YAML example of docs/plan-format.md and docs/cards.md goes through the validator and the JSON Schema.</summary>
public sealed class DocExampleTests
{
    private static JsonSchema Schema => PlanFixtures.Schema;

    public static TheoryData<string> Examples() => [.. DocExamples.All.Select(e => e.ToString())];

    private static DocExamples.Example Find(string name) => DocExamples.All.Single(e => e.ToString() == name);

    [Fact]
    public void Both_docs_files_have_examples_of_every_kind()
    {
        Assert.All(DocExamples.Files, f => Assert.Contains(DocExamples.All, e => e.File == f));
        Assert.Contains(DocExamples.All, e => e.Kind == "plan");
        Assert.Contains(DocExamples.All, e => e.Kind == "messages");
        Assert.Contains(DocExamples.All, e => e.Kind.StartsWith("parameters for ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Doc_example_loads_without_errors_or_warnings(string name)
    {
        var example = Find(name);

        var result = example.Load();

        Assert.True(result.Diagnostics.Count == 0, string.Join(Environment.NewLine, result.Diagnostics.Select(example.Describe)));
        Assert.NotNull(result.Plan);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Doc_example_matches_the_json_schema(string name)
    {
        var json = YamlJson.Parse(Find(name).Yaml)!.ToJsonString();
        using var document = JsonDocument.Parse(json);

        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, string.Join(Environment.NewLine,
            (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void A_wrong_example_fails_and_the_finding_points_at_its_docs_line()
    {
        const string markdown = """
            # Cards

            Some text.

            ```yaml
            # example: parameters for enrollment
            parameters:
              platforms: { windows: https://contoso.example/windows }
            ```
            """;

        var example = Assert.Single(DocExamples.Extract("docs/x.md", markdown));
        var error = Assert.Single(example.Load().Errors);

        Assert.Equal("docs/x.md:8:14: error: messages[0].parameters.platforms: platforms is a list of platforms, not a map", example.Describe(error));
    }

    [Fact]
    public void A_fragment_of_an_unknown_kind_is_refused_by_its_line()
    {
        const string markdown = "text\n\n```yaml\n# example: a message\n- id: x\n```\n";

        var e = Assert.Throws<ArgumentException>(() => DocExamples.Extract("docs/x.md", markdown).ToList());
        Assert.StartsWith("docs/x.md:4: unknown '# example: a message'", e.Message, StringComparison.Ordinal);
    }
}

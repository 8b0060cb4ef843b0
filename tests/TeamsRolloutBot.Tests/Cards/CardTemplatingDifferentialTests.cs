using System.Diagnostics;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Tests.Cards;

/// <summary>
/// Renders the same templates and data with our binder and with the npm package adaptivecards-templating
/// (tests/cards-js, needs <c>npm ci</c> there and node on PATH) and requires identical JSON.
/// </summary>
public sealed class CardTemplatingDifferentialTests
{
    private static readonly string CardsJs = Path.Combine(SamplePlan.RepoRoot, "tests", "cards-js");

    private static JsonArray ExpandWithNpm(JsonArray cases)
    {
        var package = Path.Combine(CardsJs, "node_modules", "adaptivecards-templating", "package.json");
        Assert.True(File.Exists(package), $"adaptivecards-templating is not installed: run 'npm ci' in {CardsJs} first.");
        var start = new ProcessStartInfo("node", Path.Combine(CardsJs, "expand.js"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = CardsJs,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stdout = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        node.StandardInput.Write(cases.ToJsonString());
        node.StandardInput.Close();
        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(60)), "node did not finish in 60 s");
        Assert.True(node.ExitCode == 0, "node failed: " + stderr.Result);
        return JsonNode.Parse(stdout.Result)!.AsArray();
    }

    [Fact]
    public void Every_sample_card_binds_exactly_as_the_npm_engine_binds_it()
    {
        var prepared = SamplePlan.AllCases.Select(c => (Case: c, Input: CardRenderer.Prepare(c.TemplateId, c.Data, c.Language))).ToList();
        var npm = ExpandWithNpm([.. prepared.Select(p => (JsonNode?)new JsonObject
        {
            ["template"] = p.Input.Template.DeepClone(),
            ["data"] = p.Input.Root.DeepClone(),
        })]);

        Assert.Equal(prepared.Count, npm.Count);
        for (var i = 0; i < prepared.Count; i++)
        {
            Assert.True(npm[i]!["error"] is null, $"{prepared[i].Case}: npm engine failed: {npm[i]!["error"]}");
            var ours = CardTemplate.Expand(prepared[i].Input.Template, prepared[i].Input.Root);
            AssertSame(prepared[i].Case.ToString(), npm[i]!["result"], ours);
        }
    }

    [Fact]
    public void The_engine_test_cases_expand_exactly_as_in_the_npm_engine()
    {
        var npm = ExpandWithNpm([.. CardTemplateTests.Cases.Select(c => (JsonNode?)new JsonObject
        {
            ["template"] = JsonNode.Parse(c.Template),
            ["data"] = JsonNode.Parse(c.Data),
        })]);

        for (var i = 0; i < CardTemplateTests.Cases.Length; i++)
        {
            var c = CardTemplateTests.Cases[i];
            Assert.True(npm[i]!["error"] is null, $"{c.Name}: npm engine failed: {npm[i]!["error"]}");
            AssertSame(c.Name, npm[i]!["result"], CardTemplate.Expand(JsonNode.Parse(c.Template)!, JsonNode.Parse(c.Data)));
        }
    }

    private static void AssertSame(string name, JsonNode? expected, JsonNode? actual)
    {
        // Both sides go through text so that 3 and 3.0 compare as the same JSON number.
        var e = JsonNode.Parse(expected?.ToJsonString() ?? "null");
        var a = JsonNode.Parse(actual?.ToJsonString() ?? "null");
        if (JsonNode.DeepEquals(e, a)) return;
        Assert.Fail($"{name}: first difference at {FirstDifference(e, a, "$")}\nnpm:  {e?.ToJsonString()}\nours: {a?.ToJsonString()}");
    }

    private static string FirstDifference(JsonNode? e, JsonNode? a, string path)
    {
        switch (e, a)
        {
            case (JsonObject eo, JsonObject ao):
                foreach (var key in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)))
                {
                    if (!eo.ContainsKey(key) || !ao.ContainsKey(key)) return $"{path}.{key} (missing on one side)";
                    if (!JsonNode.DeepEquals(eo[key], ao[key])) return FirstDifference(eo[key], ao[key], $"{path}.{key}");
                }
                return path;
            case (JsonArray ea, JsonArray aa):
                for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    if (!JsonNode.DeepEquals(ea[i], aa[i])) return FirstDifference(ea[i], aa[i], $"{path}[{i}]");
                }
                return $"{path} (length {ea.Count} vs {aa.Count})";
            default:
                return $"{path}: {e?.ToJsonString()} vs {a?.ToJsonString()}";
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Plan;

/// <summary>
/// The <c>```yaml</c> examples of docs/plan-format.md and docs/cards.md, each as a whole plan. A block is a whole plan
/// unless its first line is <c># example: messages</c> (entries of the plan's <c>messages:</c>) or
/// <c># example: parameters for &lt;template&gt;</c> (the <c>parameters:</c> of one message); such fragments are
/// placed in <see cref="MinimalPlan"/>. The convention is documented in both docs files.
/// </summary>
internal static partial class DocExamples
{
    public static IReadOnlyList<string> Files { get; } = ["docs/plan-format.md", "docs/cards.md"];

    /// <summary>One department (channel and members) and one wave starting Monday 2027-07-05; ends with <c>messages:</c>.</summary>
    public const string MinimalPlan = """
        rollout: Doc example
        timeZone: Europe/Amsterdam
        defaultLanguage: nl
        languages: [nl, en]
        leads: { users: [lead@contoso.example] }
        departments:
          - id: it
            name: { nl: IT, en: IT }
            team: "19:it-team@thread.tacv2"
            channel: "19:it@thread.tacv2"
            members: { group: 11111111-1111-1111-1111-111111111101 }
        waves:
          - { id: it, departments: [it], start: 2027-07-05 }
        messages:

        """;

    /// <summary>A fenced example: where it is in the docs, and the plan it stands for.</summary>
    public sealed record Example(string File, int Line, string Kind, string Yaml, int FirstLineInPlan, int Indent)
    {
        /// <summary>The docs line of a line of <see cref="Yaml"/>, so a failure points into the docs file.</summary>
        public int DocLine(int planLine) => Line + planLine - FirstLineInPlan;

        public PlanLoadResult Load() => PlanLoader.Parse(Yaml, File, CardMessageRules.Instance);

        public string Describe(PlanDiagnostic d) => $"{File}:{DocLine(d.Line)}:{d.Column - Indent}: {(d.IsError ? "error" : "warning")}: {d.Field}: {d.Message}";

        public override string ToString() => $"{File}:{Line}";
    }

    public static IReadOnlyList<Example> All { get; } =
        [.. Files.SelectMany(f => Extract(f, File.ReadAllText(Path.Combine(RepoPaths.Root, f))))];

    /// <summary>Every <c>```yaml</c> block of <paramref name="markdown"/>; an unknown <c># example:</c> kind throws, naming the line.</summary>
    public static IEnumerable<Example> Extract(string file, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```yaml")
            {
                continue;
            }

            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var start = i + 1;
            var block = new List<string>();
            for (i = start; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                block.Add(lines[i].Length >= indent ? lines[i][indent..] : lines[i].TrimStart());
            }

            var marker = block.Count > 0 ? Marker().Match(block[0]) : Match.Empty;
            var kind = marker.Success ? marker.Groups[1].Value.Trim() : "plan";
            yield return Place(file, start + 1, kind, block);
        }
    }

    /// <summary>A plan with <paramref name="fragment"/> placed as <paramref name="kind"/> says (see the class summary).</summary>
    public static string PlanWith(string kind, string fragment) =>
        Place("plan.yaml", 1, kind, [.. fragment.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')]).Yaml;

    private static Example Place(string file, int line, string kind, List<string> block)
    {
        var plan = new StringBuilder();
        string indent;
        if (kind == "plan")
        {
            indent = "";
        }
        else if (kind == "messages")
        {
            plan.Append(MinimalPlan);
            indent = "  ";
        }
        else if (ParametersFor().Match(kind) is { Success: true } parameters)
        {
            var template = parameters.Groups[1].Value;
            if (!CardTemplateIds.PlanUsable.Contains(template))
            {
                throw new ArgumentException($"{file}:{line}: '# example: {kind}' names no template a plan can use ({string.Join(", ", CardTemplateIds.PlanUsable)})");
            }

            plan.Append(MinimalPlan).Append(CultureInfo.InvariantCulture, $"""
                  - id: example
                    phase: {Phase(template)}
                    offset: 1d
                    time: "09:00"
                    audience: both
                    template: {template}

                """);
            indent = "    ";
        }
        else
        {
            throw new ArgumentException($"{file}:{line}: unknown '# example: {kind}'; use 'messages' or 'parameters for <template>', or no marker for a whole plan");
        }

        var firstLine = plan.ToString().Count(c => c == '\n') + 1;
        foreach (var text in block)
        {
            plan.Append(text.Length == 0 ? "" : indent + text).Append('\n');
        }

        return new Example(file, line, kind, plan.ToString(), firstLine, indent.Length);
    }

    private static string Phase(string template) => template switch
    {
        CardTemplateIds.Survey => "post-enrollment",
        _ => template,
    };

    [GeneratedRegex(@"^#\s*example:\s*(.+)$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^parameters for ([a-z-]+)$")]
    private static partial Regex ParametersFor();
}

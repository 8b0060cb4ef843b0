using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>
/// Reads plan text into YamlDotNet's node tree, in which every node keeps its line and column; syntax errors, an empty
/// file and extra documents are reported through the <see cref="PlanNodeReader"/> with the file name.
/// </summary>
public static class PlanYamlReader
{
    /// <summary>The root node of the plan's one document, or null when the text is no YAML or empty.</summary>
    public static YamlNode? Read(string yaml, PlanNodeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var message = (ex.InnerException?.Message ?? ex.Message).Trim();
            reader.Error(ex.Start, "", $"not valid YAML: {message}", "fix the YAML syntax at this position (indentation, quotes, a missing ':' or a duplicate key)");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way on an unclosed [ or {; report where parsing got stuck.
            reader.Error(LastGoodMark(yaml), "", "not valid YAML: the text after this position could not be read", "look for an unclosed '[', '{' or quote after this position");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            reader.Error(new SourceLocation(1, 1), "", "the plan file is empty", "start from samples/intune-rollout.yaml");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            reader.Error(stream.Documents[1].RootNode, "", "the plan file holds more than one YAML document", "keep one plan per file: remove the '---' separator and what follows");
        }

        return stream.Documents[0].RootNode;
    }

    private static Mark LastGoodMark(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // expected: this is how we find the spot
        }

        return last;
    }
}

using YamlDotNet.RepresentationModel;

namespace TeamsRolloutBot.Plan;

/// <summary>The accepted fields of one YAML map in the plan, with the field path used in diagnostics.</summary>
public sealed class PlanFields(YamlMappingNode node, string path)
{
    public YamlMappingNode Node { get; } = node;

    public string Path { get; } = path;

    public Dictionary<string, YamlNode> Values { get; } = [];

    public bool Has(string key) => Values.ContainsKey(key);

    public YamlNode? this[string key] => Values.GetValueOrDefault(key);

    public string Sub(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>docs/operations.md must stay true: every setting an admin meets is in its configuration table.</summary>
public sealed partial class OperationsDocTests
{
    private static readonly string Doc = RepoFiles.Read("docs/operations.md");

    /// <summary>Keys written in backticks in the rows of the configuration table (section 7).</summary>
    private static readonly HashSet<string> DocumentedKeys = ConfigTableKeys();

    [Fact]
    public void Every_app_setting_the_bicep_template_sets_is_in_the_configuration_table()
    {
        var bicep = RepoFiles.Read("infra/main.bicep");
        var keys = new List<string>();
        foreach (var block in new[] { "baseSettings", "secretSettings", "planSettings" })
        {
            var start = bicep.IndexOf($"var {block} =", StringComparison.Ordinal);
            Assert.True(start >= 0, $"var {block} not found in main.bicep");
            var end = bicep.IndexOf("\n\n", start, StringComparison.Ordinal);
            var body = bicep[start..(end < 0 ? bicep.Length : end)];
            keys.AddRange(SettingKey().Matches(body).Select(m => m.Groups[1].Value));
        }

        Assert.Contains("MicrosoftAppPassword", keys);
        Assert.Contains("Storage__SqlitePath", keys);
        Assert.All(keys, key => Assert.Contains(key.Replace("__", ":", StringComparison.Ordinal), DocumentedKeys));
    }

    [Fact]
    public void Every_setting_in_appsettings_json_is_in_the_configuration_table()
    {
        var file = RepoFiles.PathOf("src/TeamsRolloutBot/appsettings.json");
        var leaves = new List<string>();
        if (File.Exists(file))
        {
            var root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
            CollectLeaves(root, "", leaves);
        }

        // Framework sections an admin does not tune through this guide.
        var ours = leaves.Where(k => !k.StartsWith("Logging:", StringComparison.Ordinal) && k != "AllowedHosts").ToList();
        Assert.All(ours, key => Assert.True(
            DocumentedKeys.Contains(key) || DocumentedKeys.Contains(key[..key.LastIndexOf(':')] + ":*"),
            $"{key} (appsettings.json) is missing from the configuration table in docs/operations.md"));
    }

    [Fact]
    public void Every_graph_permission_and_the_rsc_permission_is_explained()
    {
        foreach (var permission in new[]
                 {
                     "GroupMember.Read.All", "User.ReadBasic.All", "TeamsAppInstallation.ReadWriteSelfForUser.All",
                     "AppCatalog.Read.All", "Mail.Send", "Sites.Selected", "ChannelMessage.Read.Group",
                 })
        {
            Assert.Matches($@"\n\| `{Regex.Escape(permission)}`[^\n]*\|[^\n]*\|[^\n]*\|", Doc);
        }

        var rsc = RepoFiles.Read("manifest/manifest.template.json");
        Assert.Contains("ChannelMessage.Read.Group", rsc, StringComparison.Ordinal);
        Assert.Contains("--no-rsc", Doc, StringComparison.Ordinal);
    }

    private static HashSet<string> ConfigTableKeys()
    {
        var start = Doc.IndexOf("## 7. Configuration", StringComparison.Ordinal);
        var end = Doc.IndexOf("\n## 8.", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "section 7 (Configuration) not found");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Doc[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var firstCell = row.Split('|')[1];
            keys.UnionWith(BacktickedKey().Matches(firstCell).Select(m => m.Groups[1].Value));
        }

        return keys;
    }

    private static void CollectLeaves(JsonNode node, string prefix, List<string> leaves)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                var path = prefix.Length == 0 ? name : $"{prefix}:{name}";
                if (child is null)
                {
                    leaves.Add(path);
                }
                else
                {
                    CollectLeaves(child, path, leaves);
                }
            }
        }
        else
        {
            leaves.Add(prefix);
        }
    }

    [GeneratedRegex(@"(?:^\s+|\{ )([A-Za-z_][A-Za-z0-9_]*): ", RegexOptions.Multiline)]
    private static partial Regex SettingKey();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex BacktickedKey();
}

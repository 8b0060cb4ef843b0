using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>infra/main.bicep and the example parameters, compiled once by the Bicep CLI from the NuGet cache.</summary>
public sealed class CompiledInfra
{
    public const string BicepVersion = "0.49.2";

    public CompiledInfra()
    {
        Template = JsonNode.Parse(RunBicep("build", RepoFiles.PathOf("infra/main.bicep"), "--stdout"))!.AsObject();
        ExampleParameters = JsonNode.Parse(RunBicep("build-params", RepoFiles.PathOf("infra/main.example.bicepparam"), "--stdout"))!.AsObject();
    }

    /// <summary>The ARM template (modules inlined as nested deployments).</summary>
    public JsonObject Template { get; }

    /// <summary>Output of build-params: { parametersJson: "...", templateJson: ... }.</summary>
    public JsonObject ExampleParameters { get; }

    public string TemplateText => Template.ToJsonString();

    /// <summary>Every resource of the given type, in main.bicep or any module.</summary>
    public IReadOnlyList<JsonObject> Resources(string type)
    {
        var found = new List<JsonObject>();
        Collect(Template, type, found);
        return found;
    }

    /// <summary>The nested template of a module deployment, by module name.</summary>
    public JsonObject Module(string name) =>
        Resources("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == name)["properties"]!["template"]!.AsObject();

    private static void Collect(JsonObject template, string type, List<JsonObject> found)
    {
        foreach (var node in template["resources"]!.AsArray())
        {
            var resource = node!.AsObject();
            if ((string?)resource["type"] == type)
            {
                found.Add(resource);
            }

            if (resource["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, type, found);
            }
        }
    }

    private static string RunBicep(params string[] args)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", BicepVersion, "tools", "bicep");
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"Bicep CLI not found at {bicep}; restoring the test project downloads it (PackageDownload).");
        }

        var start = new ProcessStartInfo(bicep)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" },
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }
}

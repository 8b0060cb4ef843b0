using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>The container image contract: multi-stage, .NET 10, non-root, port 3978, SQLite under /data.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = RepoFiles.Read("Dockerfile")
        .Replace("\\\n", " ", StringComparison.Ordinal)
        .Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToArray();

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime_image()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, stages.Length);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        Assert.Contains(Lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
    }

    [Fact]
    public void Final_stage_runs_as_the_non_root_app_user()
    {
        var user = Lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Equal("USER $APP_UID", user);
        var userIndex = Array.LastIndexOf(Lines, user);
        Assert.True(userIndex > Array.FindLastIndex(Lines, l => l.StartsWith("RUN ", StringComparison.Ordinal)), "USER must come after the last RUN");
        Assert.True(userIndex > Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Listens_on_3978_and_keeps_the_database_in_the_data_volume()
    {
        Assert.Contains("EXPOSE 3978", Lines);
        Assert.Contains("VOLUME /data", Lines);
        var env = string.Join(' ', Lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)));
        Assert.Contains("ASPNETCORE_URLS=http://+:3978", env, StringComparison.Ordinal);
        Assert.Contains("Storage__SqlitePath=/data/rollout.db", env, StringComparison.Ordinal);
        Assert.Contains(Lines, l => l.Contains("chown", StringComparison.Ordinal) && l.Contains("/data", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_copied_path_exists_and_is_not_excluded_from_the_build_context()
    {
        var ignored = RepoFiles.Read(".dockerignore").Split('\n')
            .Select(l => l.Trim().TrimEnd('/'))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToArray();
        var sources = Lines
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToArray();

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = RepoFiles.PathOf(source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(source.TrimEnd('/'), ignored);
        }

        Assert.Contains("src/TeamsRolloutBot/TeamsRolloutBot.csproj", sources);
        Assert.Contains(ignored, i => i == ".git");
        Assert.Contains(ignored, i => EnvFile().IsMatch(i));
    }

    [GeneratedRegex(@"\*\.env$")]
    private static partial Regex EnvFile();
}

namespace TeamsRolloutBot.Tests.Infrastructure;

/// <summary>Files of the repository the tests read.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string SamplePlan => Path.Combine(Root, "samples", "intune-rollout.yaml");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TeamsRolloutBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (TeamsRolloutBot.sln) above " + AppContext.BaseDirectory);
    }
}

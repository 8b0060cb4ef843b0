using TeamsRolloutBot.Tests.Infrastructure;
namespace TeamsRolloutBot.Tests.Ship;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class RepoFiles
{
    public static string Root => RepoPaths.Root;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}

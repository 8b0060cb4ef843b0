namespace TeamsRolloutBot.Browser.Tests;

/// <summary>
/// Where the browser tests save their screenshots: the test output (<c>$TEST_RESULTS_DIR/screenshots</c>, else
/// <c>screenshots/</c> next to the test assembly), so a test run leaves the work tree as it was. On purpose,
/// <c>scripts/render-docs-images.sh</c> sets <c>SCREENSHOTS_DIR</c> to <c>docs/</c> and the same tests regenerate
/// <c>docs/cards/</c> and <c>docs/images/</c>.
/// </summary>
internal static class Screenshots
{
    /// <summary>The environment variable that points the screenshots at another folder (the docs folder).</summary>
    public const string DirectoryVariable = "SCREENSHOTS_DIR";

    public static string Root { get; } = FindRoot();

    /// <summary>The path of <paramref name="file"/> in <paramref name="folder"/> (cards, images) under <see cref="Root"/>; the folder is created.</summary>
    public static string PathOf(string folder, string file)
    {
        var directory = Path.Combine(Root, folder);
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, file);
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } chosen)
        {
            return Path.GetFullPath(chosen);
        }
        return Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") is { Length: > 0 } results
            ? Path.Combine(Path.GetFullPath(results), "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
    }
}

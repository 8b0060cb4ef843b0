using System.Text.RegularExpressions;

using TeamsRolloutBot.Tests.Infrastructure;

namespace TeamsRolloutBot.Tests.Ship;

/// <summary>
/// Each public type of the bot lives in a file named after it, so an engineer finds a type by its name. Files use
/// file-scoped namespaces (enforced by .editorconfig), so a top-level declaration starts at the beginning of a line and a
/// nested one is indented.
/// </summary>
public sealed partial class OneTypePerFileTests
{
    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial|ref|unsafe)\s+)*(?:record\s+(?:class\s+|struct\s+)?|class\s+|struct\s+|interface\s+|enum\s+|delegate\s+\S+\s+)(?<name>[A-Za-z_][A-Za-z0-9_]*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelPublicType();

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "TeamsRolloutBot"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static List<string> PublicTypes(string file) =>
        [.. TopLevelPublicType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value)];

    [Fact]
    public void No_source_file_declares_two_public_top_level_types()
    {
        var files = SourceFiles().ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found");
        var offenders = files
            .Select(f => (File: Path.GetRelativePath(RepoPaths.Root, f), Types: PublicTypes(f)))
            .Where(f => f.Types.Count > 1)
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}")
            .ToList();
        Assert.True(offenders.Count == 0, "files with more than one public type:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void A_file_with_a_public_type_is_named_after_it()
    {
        var offenders = SourceFiles()
            .Select(f => (File: f, Types: PublicTypes(f)))
            .Where(f => f.Types.Count == 1 && f.Types[0] != Path.GetFileName(f.File).Split('.')[0])
            .Select(f => $"{Path.GetRelativePath(RepoPaths.Root, f.File)}: {f.Types[0]}")
            .ToList();
        Assert.True(offenders.Count == 0, "files not named after their public type:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_finds_two_public_types_and_ignores_nested_ones()
    {
        var path = Path.Combine(Path.GetTempPath(), "trb-tests", Guid.NewGuid().ToString("N"), "Sample.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """
            namespace X;

            public sealed record Sample(string A);

            public static partial class Helpers
            {
                public sealed class Nested;
            }

            internal sealed class NotPublic;
            """);
        Assert.Equal(["Sample", "Helpers"], PublicTypes(path));
    }
}

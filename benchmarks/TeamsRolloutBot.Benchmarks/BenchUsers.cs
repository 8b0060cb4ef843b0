using System.Globalization;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>The benchmark's people: deterministic Entra object ids, the same in the bot and in the fakes' process.</summary>
public static class BenchUsers
{
    public static string Id(int index) => string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{index:x12}");
}

using System.Globalization;

namespace TeamsRolloutBot.Benchmarks;

/// <summary>
/// A benchmark's command line: <c>--name value</c> options and <c>--flag</c> switches, each checked against the names
/// the benchmark knows, so a mistyped or unsupported option stops the run instead of silently measuring something else.
/// </summary>
public sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private BenchmarkArgs()
    {
    }

    /// <summary>Parses <paramref name="args"/>; <paramref name="error"/> names the first option it does not know or that lacks its value.</summary>
    public static BenchmarkArgs? Parse(string[] args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> flags, out string? error)
    {
        var parsed = new BenchmarkArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (flags.Contains(arg))
            {
                parsed._flags.Add(arg);
            }
            else if (options.Contains(arg))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"{arg} needs a value";
                    return null;
                }
                parsed._values[arg] = args[++i];
            }
            else
            {
                error = $"unknown option '{arg}' (known: {string.Join(", ", options.Concat(flags).Order(StringComparer.Ordinal))})";
                return null;
            }
        }
        error = null;
        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Text(string name) => _values.TryGetValue(name, out var value) ? value.ToLowerInvariant() : null;

    /// <summary>The option's whole number, or <paramref name="fallback"/> when absent; a value that is not a number throws.</summary>
    public int Number(string name, int fallback) =>
        !_values.TryGetValue(name, out var value) ? fallback
        : int.TryParse(value, CultureInfo.InvariantCulture, out var number) ? number
        : throw new ArgumentException($"{name} must be a whole number, not '{value}'");

    /// <summary>A comma-separated list of whole numbers, or <paramref name="fallback"/>.</summary>
    public IReadOnlyList<int> Numbers(string name, IReadOnlyList<int> fallback) =>
        !_values.TryGetValue(name, out var value) ? fallback
        : value.Split(',').Select(v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"{name} must be positive whole numbers separated by commas, not '{value}'")).ToList();
}

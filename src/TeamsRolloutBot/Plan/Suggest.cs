namespace TeamsRolloutBot.Plan;

/// <summary>"Did you mean" suggestions for misspelt keys and values.</summary>
internal static class Suggest
{
    public static string? Closest(string value, IEnumerable<string> candidates, int? maxDistance = null)
    {
        var limit = maxDistance ?? Math.Max(2, value.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= limit ? best : null;
    }

    /// <summary>"did you mean 'x'? " or an empty string.</summary>
    public static string DidYouMean(string value, IEnumerable<string> candidates, int? maxDistance = null) =>
        Closest(value, candidates, maxDistance) is { } match ? $"did you mean '{match}'? " : "";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

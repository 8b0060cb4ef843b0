using System.Globalization;

namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>Times stored as text (the feedback and thread tables): UTC, round-trip format, so they sort as text in time order.</summary>
internal static class SqliteTime
{
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

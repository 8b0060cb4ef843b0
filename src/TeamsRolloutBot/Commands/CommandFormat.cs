using System.Globalization;

namespace TeamsRolloutBot.Commands;

/// <summary>How the commands write times, dates and user-typed words into their answers.</summary>
internal static class CommandFormat
{
    public static DateTimeOffset Local(Plan.RolloutPlan plan, DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, plan.TimeZone);

    public static string Time(DateTimeOffset local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A word the user typed, cut to <paramref name="max"/> characters, so an answer cannot be made to grow without bound.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary><c>Feedback:ThreadReplies:</c> settings for thread replies as feedback.</summary>
public sealed class ThreadRepliesOptions
{
    public const string Section = "Feedback:ThreadReplies";

    /// <summary><c>Enabled</c>: collect replies at all (live and catch-up). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>CatchUpEnabled</c>: list replies through Graph on start-up and every <see cref="CatchUpInterval"/>. Default true.</summary>
    public bool CatchUpEnabled { get; set; } = true;

    /// <summary><c>CatchUpInterval</c>: how often each open thread is read through Graph. Default 30 minutes.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>WindowDays</c>: how long after the post its thread is read through Graph (the feedback window). Default 28.</summary>
    public double WindowDays { get; set; } = 28;

    /// <summary><c>MaxBackoff</c>: the longest wait after repeated outages. Default 1 hour.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// <c>Problems</c>: problem name → keywords (nl and en, matched without case anywhere in a reply). When set, it
    /// replaces <see cref="DefaultProblems"/> entirely.
    /// </summary>
    public Dictionary<string, string[]> Problems { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The keyword lists used when <see cref="Problems"/> is not configured.</summary>
    public static IReadOnlyDictionary<string, string[]> DefaultProblems { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Password"] = ["wachtwoord", "password", "inloggen", "sign in", "sign-in"],
        ["MFA"] = ["mfa", "authenticator", "tweestaps", "two-factor", "verificatiecode", "verification code"],
        ["Company Portal"] = ["company portal", "bedrijfsportal", "bedrijfsportaal"],
        ["Certificate"] = ["certificaat", "certificate", "wifi", "wi-fi", "vpn"],
        ["Camera/privacy"] = ["camera", "privacy", "webcam", "meekijken", "foto's", "photos"],
    };

    /// <summary>The keyword lists in effect.</summary>
    public IReadOnlyDictionary<string, string[]> EffectiveProblems => Problems.Count > 0 ? Problems : DefaultProblems;
}

using System.Globalization;

namespace TeamsRolloutBot.Delivery;

/// <summary><c>Delivery:</c> settings of the scheduler, the outbox and the dispatcher.</summary>
public sealed class DeliveryOptions
{
    /// <summary><c>Delivery:Enabled</c>: run the scheduler and dispatcher in this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Delivery:TenantRatePerSecond</c>: connector calls per second for the whole tenant (Teams allows about 50; 48 leaves room for jitter).</summary>
    public double TenantRatePerSecond { get; set; } = 48;

    /// <summary><c>Delivery:ConversationLimits</c>: per-conversation windows, "count/window" comma separated (Teams: 7/1s, 8/2s, 60/30s, 1800/1h).</summary>
    public string ConversationLimits { get; set; } = "7/1s, 8/2s, 60/30s, 1800/1h";

    /// <summary><c>Delivery:MaxConcurrency</c>: sends in flight at once; also the bound on duplicates after a crash.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary><c>Delivery:GraceWindow</c>: a send missed during downtime still goes out on start-up if it is at most this late.</summary>
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary><c>Delivery:MaxAttempts</c>: transient failures (5xx, timeouts) are retried with jitter up to this many attempts.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary><c>Delivery:LeaseDuration</c>: how long a dispatcher holds a job; after a crash the job is sent again once its lease expires.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary><c>Delivery:RetryBaseDelay</c>: first back-off of a transient failure (doubles per attempt, with jitter, at most 10 minutes).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Delivery:InstallRetryDelay</c>: after installing the app for a user through Graph, wait this long before the 1:1 send.</summary>
    public TimeSpan InstallRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Delivery:SchedulerInterval</c>: how often the scheduler looks for due sends (it also wakes at the next due time).</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>Delivery:PollInterval</c>: how often an idle dispatcher looks for due jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Delivery:ProgressInterval</c>: how often the leads' status card is updated while a wave message goes out.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Delivery:InstanceHeartbeat</c>: with <c>Storage:Provider=AzureStorage</c>, how often an instance records that it
    /// is alive and recounts the live instances it shares the tenant rate with; an instance not seen for three heartbeats
    /// no longer counts.
    /// </summary>
    public TimeSpan InstanceHeartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Delivery:DefaultServiceUrl</c>: the connector used for proactive sends when no conversation reference names one (default: the one of <c>Bot:Cloud</c>).</summary>
    public string DefaultServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";

    /// <summary><c>Delivery:MailFrom</c>: the mailbox (UPN or id) e-mail audiences are sent from through Graph.</summary>
    public string? MailFrom { get; set; }

    /// <summary>The parsed <see cref="ConversationLimits"/>.</summary>
    public IReadOnlyList<(int Count, TimeSpan Window)> ConversationWindows => ParseLimits(ConversationLimits) ?? [];

    /// <summary>"7/1s, 8/2s" → [(7, 1 s), (8, 2 s)]; null when malformed.</summary>
    public static IReadOnlyList<(int Count, TimeSpan Window)>? ParseLimits(string? text)
    {
        var list = new List<(int, TimeSpan)>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('/', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0
                || pieces[1].Length < 2 || !int.TryParse(pieces[1][..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                return null;
            }
            TimeSpan? window = pieces[1][^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => null,
            };
            if (window is null)
            {
                return null;
            }
            list.Add((count, window.Value));
        }
        return list;
    }
}

namespace TeamsRolloutBot.Graph;

/// <summary><c>Graph:</c> settings: the one Microsoft Graph endpoint every feature calls, and the app-install ids.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary><c>Graph:Enabled</c>: use Microsoft Graph (default: on, except in local Playground mode).</summary>
    public bool? Enabled { get; set; }

    /// <summary><c>Graph:BaseUrl</c>: the Graph endpoint (national clouds, or a fake on loopback in tests).</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary><c>Graph:Timeout</c>: the time limit of one Graph call, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Graph:MaxShortRetryWait</c>: a Retry-After (429/503/504) up to this long is waited out in the request; a longer
    /// one is returned to the caller as <see cref="GraphOutcome.Throttled"/>, for its durable queue.
    /// </summary>
    public TimeSpan MaxShortRetryWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Graph:TeamsAppCatalogId</c>: the app's id in the org catalog, for proactive installs.</summary>
    public string? TeamsAppCatalogId { get; set; }

    /// <summary><c>Graph:TeamsAppExternalId</c>: the manifest id, used to look the catalog id up when it is not set.</summary>
    public string? TeamsAppExternalId { get; set; }

    /// <summary>The base URL without a trailing slash.</summary>
    public string Root => BaseUrl.TrimEnd('/');
}

using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// Decides which serviceUrls may receive the bot's bearer token: https on the Teams connector hosts of the configured cloud (<c>Bot:Cloud</c>, exact host match),
/// plus configured hosts or origins; in local Playground mode also http on localhost. Everything else is refused
/// before a token is even requested.
/// </summary>
public sealed class ServiceUrlPolicy
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _allowLocalhost;

    public ServiceUrlPolicy(IOptions<BotOptions> options)
    {
        foreach (var host in options.Value.CloudSettings.ServiceUrlHosts)
        {
            _hosts.Add(host);
        }
        foreach (var entry in options.Value.AllowedServiceUrls)
        {
            switch (ParseEntry(entry))
            {
                case { IsOrigin: true } e: _origins.Add(e.Value); break;
                case { } e: _hosts.Add(e.Value); break;
            }
        }
        _allowLocalhost = options.Value.LocalPlayground;
    }

    /// <summary>True when <paramref name="serviceUrl"/> may be called (and given the bot's token).</summary>
    public bool IsAllowed(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }
        if (_origins.Contains(Origin(uri)))
        {
            return true;
        }
        if (uri.Scheme == Uri.UriSchemeHttps && _hosts.Contains(uri.IdnHost))
        {
            return true;
        }
        return _allowLocalhost && uri.Scheme is "http" or "https" && uri.IsLoopback;
    }

    internal static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();

    /// <summary>A configured entry: a bare host (https, any port) or an origin (scheme://host[:port]); null when neither.</summary>
    internal static (bool IsOrigin, string Value)? ParseEntry(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry))
        {
            return null;
        }
        if (entry.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath is "/" or ""
                ? (true, Origin(uri))
                : null;
        }
        return Uri.CheckHostName(entry) is UriHostNameType.Dns or UriHostNameType.IPv4 ? (false, entry.Trim()) : null;
    }
}

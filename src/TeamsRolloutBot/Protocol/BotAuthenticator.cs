using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// Validates the Bot Connector's JWT on <c>/api/messages</c>: issuer, audience = MicrosoftAppId, RS256 signature with a key
/// from the OpenID metadata (cached, refreshed on an unknown key id), lifetime with 5 minutes skew, the signing key's
/// endorsements contain the activity's channelId, the <c>serviceurl</c> claim equals activity.serviceUrl, and the
/// activity's tenant is the bot's tenant. Fails closed on anything missing.
/// </summary>
public sealed class BotAuthenticator : IDisposable
{
    private readonly BotOptions _options;
    private readonly ServiceUrlPolicy _serviceUrls;
    private static readonly TimeSpan MetadataLifetime = TimeSpan.FromHours(12);
    private static readonly TimeSpan MinForcedRefresh = TimeSpan.FromSeconds(30);
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _metadataGate = new(1, 1);
    private OpenIdConnectConfiguration? _metadata;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset _forcedAt = DateTimeOffset.MinValue;
    private readonly TimeProvider _time;
    private readonly ILogger<BotAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public BotAuthenticator(IOptions<BotOptions> options, ServiceUrlPolicy serviceUrls, IHttpClientFactory httpClients, TimeProvider time, ILogger<BotAuthenticator> logger)
    {
        _logger = logger;
        _options = options.Value;
        _serviceUrls = serviceUrls;
        _time = time;
        var metadata = new Uri(_options.EffectiveOpenIdMetadataUrl);
        _retriever = new HttpDocumentRetriever(httpClients.CreateClient(nameof(BotAuthenticator)))
        {
            RequireHttps = !metadata.IsLoopback,
        };
    }

    /// <summary>
    /// Step 1, before the body is read: the token itself (signature, issuer, audience, lifetime). In local Playground
    /// mode there is no token to check.
    /// </summary>
    public async Task<TokenCheck> ValidateTokenAsync(string? authorizationHeader, CancellationToken cancellationToken)
    {
        if (_options.LocalPlayground)
        {
            return TokenCheck.LocalMode;
        }
        if (authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new(new AuthResult(AuthVerdict.Unauthenticated, "no bearer token"), null, null);
        }
        var token = authorizationHeader["Bearer ".Length..].Trim();
        var (result, config) = await ValidateAsync(token, cancellationToken);
        if (result is null || !result.IsValid || config is null)
        {
            return new(new AuthResult(AuthVerdict.Unauthenticated, $"token rejected: {Describe(result?.Exception)}"), null, null);
        }
        return new(AuthResult.Allowed, (JsonWebToken)result.SecurityToken, config);
    }

    /// <summary>
    /// Step 2, with the parsed activity: the signing key's endorsement for the activity's channel, the serviceurl
    /// claim, the serviceUrl allow-list and the tenant.
    /// </summary>
    public AuthResult Authorize(TokenCheck token, Activity activity)
    {
        if (token.Result.Verdict != AuthVerdict.Allowed)
        {
            return token.Result;
        }
        if (token.Jwt is { } jwt && token.Configuration is { } config)
        {
            if (!HasEndorsement(config, jwt.Kid, activity.ChannelId))
            {
                return new(AuthVerdict.Forbidden, $"signing key '{jwt.Kid}' is not endorsed for channel '{activity.ChannelId}'");
            }
            if (!jwt.TryGetPayloadValue<string>("serviceurl", out var claimedServiceUrl)
                || !string.Equals(claimedServiceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            {
                return new(AuthVerdict.Forbidden, "the token's serviceurl claim does not match the activity's serviceUrl");
            }
        }
        else if (!_options.LocalPlayground)
        {
            return new(AuthVerdict.Unauthenticated, "no validated token");
        }
        return CheckServiceUrlAndTenant(activity);
    }

    private AuthResult CheckServiceUrlAndTenant(Activity activity)
    {
        if (!_serviceUrls.IsAllowed(activity.ServiceUrl))
        {
            return new(AuthVerdict.Forbidden, $"serviceUrl host is not allow-listed: {SafeHost(activity.ServiceUrl)}");
        }
        if (!_options.LocalPlayground
            && !string.Equals(activity.TenantId, _options.MicrosoftAppTenantId, StringComparison.OrdinalIgnoreCase))
        {
            return new(AuthVerdict.Forbidden, $"tenant '{activity.TenantId}' is not the bot's tenant");
        }
        return AuthResult.Allowed;
    }

    private async Task<(TokenValidationResult? Result, OpenIdConnectConfiguration? Config)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var config = await GetMetadataAsync(force: false, cancellationToken);
        if (config is null)
        {
            // Metadata unreachable and never fetched: nobody can be authenticated (fail closed).
            return (new TokenValidationResult { IsValid = false, Exception = new SecurityTokenException("OpenID metadata could not be retrieved") }, null);
        }
        var result = await _handler.ValidateTokenAsync(token, Parameters(config));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Key rollover: fetch the key set again (at most every 30 s, so unknown kids cannot hammer the endpoint) and retry once.
            var fresh = await GetMetadataAsync(force: true, cancellationToken);
            if (fresh is not null && !ReferenceEquals(fresh, config))
            {
                config = fresh;
                result = await _handler.ValidateTokenAsync(token, Parameters(config));
            }
        }
        return (result, config);
    }

    /// <summary>The cached metadata and keys; refetched after 12 hours, or on demand for an unknown key id.</summary>
    private async Task<OpenIdConnectConfiguration?> GetMetadataAsync(bool force, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_metadata is { } cached && (force ? now - _forcedAt < MinForcedRefresh : now - _fetchedAt < MetadataLifetime))
        {
            return cached;
        }
        await _metadataGate.WaitAsync(cancellationToken);
        try
        {
            now = _time.GetUtcNow();
            if (_metadata is { } again && (force ? now - _forcedAt < MinForcedRefresh : now - _fetchedAt < MetadataLifetime))
            {
                return again;
            }
            if (force)
            {
                _forcedAt = now;
            }
            try
            {
                _metadata = await OpenIdConnectConfigurationRetriever.GetAsync(_options.EffectiveOpenIdMetadataUrl, _retriever, cancellationToken);
                _fetchedAt = now;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or ArgumentException or JsonException)
            {
                // Keep the last good keys; an outage of the metadata endpoint must not lock out Teams.
                Log.MetadataUnavailable(_logger, ex.GetType().Name);
            }
            return _metadata;
        }
        finally
        {
            _metadataGate.Release();
        }
    }

    public void Dispose() => _metadataGate.Dispose();

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration config) => new()
    {
        ValidIssuer = _options.CloudSettings.TokenIssuer,
        ValidAudience = _options.MicrosoftAppId,
        IssuerSigningKeys = config.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ClockSkew = TimeSpan.FromMinutes(5),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            return expires is { } exp && now <= exp.Add(p.ClockSkew) && (notBefore is not { } nbf || now >= nbf.Subtract(p.ClockSkew));
        },
    };

    /// <summary>Endorsements are not standard JWK; they sit in the key's additional data as a JSON array.</summary>
    private static bool HasEndorsement(OpenIdConnectConfiguration config, string? kid, string? channelId)
    {
        if (string.IsNullOrEmpty(kid) || string.IsNullOrEmpty(channelId))
        {
            return false;
        }
        var key = config.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var raw))
        {
            return false;
        }
        IEnumerable<string?> endorsements = raw switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            IEnumerable<object> list => list.Select(o => o?.ToString()),
            _ => [],
        };
        return endorsements.Any(e => string.Equals(e, channelId, StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "invalid",
        SecurityTokenExpiredException => "expired",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenSignatureKeyNotFoundException => "unknown signing key",
        SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed",
        SecurityTokenNotYetValidException => "not yet valid",
        SecurityTokenInvalidLifetimeException => "lifetime invalid",
        SecurityTokenMalformedException => "malformed",
        _ => exception.GetType().Name,
    };

    internal static string SafeHost(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}" : "(not a URL)";
}

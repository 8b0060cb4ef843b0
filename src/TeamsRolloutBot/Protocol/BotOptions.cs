namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The bot's identity and protocol settings. The first four keys follow Azure Bot conventions and live at the
/// configuration root (<c>MicrosoftAppId</c>, ...); the rest live under <c>Bot:</c>.
/// </summary>
public sealed class BotOptions
{
    /// <summary><c>SingleTenant</c> or <c>UserAssignedMSI</c>.</summary>
    public string? MicrosoftAppType { get; set; }
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>
    /// <c>Bot:Cloud</c>: <c>Public</c> (default; also Office 365 GCC), <c>USGov</c> (GCC High) or <c>USGovDoD</c>. Sets the
    /// inbound token metadata and issuer, the Entra authority, the connector scope, the serviceUrl allow-list, the default
    /// serviceUrl and Graph's endpoint together (<see cref="BotCloud"/>).
    /// </summary>
    public string Cloud { get; set; } = BotCloud.Public.Name;

    /// <summary><c>Bot:OpenIdMetadataUrl</c>: where the inbound token signing keys are published (default: the cloud's).</summary>
    public string? OpenIdMetadataUrl { get; set; }

    /// <summary>The cloud <see cref="Cloud"/> names; the public cloud while the name is unknown (start-up refuses it).</summary>
    public BotCloud CloudSettings => BotCloud.Find(Cloud) ?? BotCloud.Public;

    /// <summary>The inbound OpenID metadata URL in force: <c>Bot:OpenIdMetadataUrl</c>, else the cloud's.</summary>
    public string EffectiveOpenIdMetadataUrl => string.IsNullOrWhiteSpace(OpenIdMetadataUrl) ? CloudSettings.OpenIdMetadataUrl : OpenIdMetadataUrl;

    /// <summary><c>Bot:AllowedServiceUrls</c>: extra hosts (https) or origins (scheme://host:port) that may receive the bot's token.</summary>
    public List<string> AllowedServiceUrls { get; set; } = [];

    /// <summary><c>Bot:MaxBodyBytes</c>: larger request bodies are refused with 413.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary><c>Bot:LocalPlayground</c>: no inbound JWT, no outbound token, localhost serviceUrls. Development + loopback only.</summary>
    public bool LocalPlayground { get; set; }

    /// <summary><c>Bot:MaxShortRetryWait</c>: a Retry-After up to this long is waited out in-process; a longer one is returned to the caller.</summary>
    public TimeSpan MaxShortRetryWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Bot:ConnectorTimeout</c>: the time one connector call may take.</summary>
    public TimeSpan ConnectorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Bot:InlineReplyTimeout</c>: how long the one attempt at a reply inside the inbound request may take (token
    /// included); a reply not sent by then is retried from the durable reply outbox and the request is answered.
    /// </summary>
    public TimeSpan InlineReplyTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary><c>Bot:ReplyRetryBaseDelay</c>: the first wait before a queued reply is tried again (doubling, at most 5 minutes).</summary>
    public TimeSpan ReplyRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Bot:ReplyLifetime</c>: a queued reply still not sent after this long is given up (and logged).</summary>
    public TimeSpan ReplyLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>Bot:ReplyPollInterval</c>: how often the reply outbox is checked for due retries.</summary>
    public TimeSpan ReplyPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsUserAssignedMsi => string.Equals(MicrosoftAppType, "UserAssignedMSI", StringComparison.OrdinalIgnoreCase);

    /// <summary>Binds the root Azure Bot keys and the <c>Bot</c> section.</summary>
    public static void Bind(BotOptions options, IConfiguration configuration)
    {
        options.MicrosoftAppType = configuration["MicrosoftAppType"];
        options.MicrosoftAppId = configuration["MicrosoftAppId"];
        options.MicrosoftAppPassword = configuration["MicrosoftAppPassword"];
        options.MicrosoftAppTenantId = configuration["MicrosoftAppTenantId"];
        configuration.GetSection("Bot").Bind(options);
    }
}

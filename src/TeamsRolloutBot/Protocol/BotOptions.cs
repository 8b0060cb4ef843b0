namespace TeamsRolloutBot.Protocol;

/// <summary>
/// The bot's identity and protocol settings. The first four keys follow Azure Bot conventions and live at the
/// configuration root (<c>MicrosoftAppId</c>, ...); the rest live under <c>Bot:</c>.
/// </summary>
public sealed class BotOptions
{
    public const string BotFrameworkOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>Teams' connector hosts (commercial, GCC, GCC-High, DoD): the serviceUrls a token may go to by default.</summary>
    public static readonly IReadOnlyList<string> DefaultServiceUrlHosts =
    [
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    /// <summary><c>SingleTenant</c> or <c>UserAssignedMSI</c>.</summary>
    public string? MicrosoftAppType { get; set; }
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary><c>Bot:OpenIdMetadataUrl</c>: where the inbound token signing keys are published.</summary>
    public string OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadataUrl;

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

using Microsoft.Extensions.Options;

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

/// <summary>Refuses to start with a message naming the key when the bot's configuration is missing or wrong.</summary>
public sealed class BotOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var errors = new List<string>();
        if (options.LocalPlayground)
        {
            if (!environment.IsDevelopment())
            {
                errors.Add($"Bot:LocalPlayground=true is only honoured in the Development environment (this is '{environment.EnvironmentName}'). Remove it, or set ASPNETCORE_ENVIRONMENT=Development for a local run.");
            }
        }
        else
        {
            ValidateIdentity(options, errors);
        }

        if (!Uri.TryCreate(options.OpenIdMetadataUrl, UriKind.Absolute, out var metadata)
            || !(metadata.Scheme == Uri.UriSchemeHttps || (metadata.Scheme == Uri.UriSchemeHttp && metadata.IsLoopback)))
        {
            errors.Add($"Bot:OpenIdMetadataUrl must be an absolute https URL (http only on loopback); got '{options.OpenIdMetadataUrl}'.");
        }
        foreach (var entry in options.AllowedServiceUrls.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            if (ServiceUrlPolicy.ParseEntry(entry) is null)
            {
                errors.Add($"Bot:AllowedServiceUrls: '{entry}' is neither a host name nor an origin such as https://host:port.");
            }
        }
        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"Bot:MaxBodyBytes must be between 1024 and 16777216; got {options.MaxBodyBytes}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateIdentity(BotOptions options, List<string> errors)
    {
        var type = options.MicrosoftAppType;
        if (!string.Equals(type, "SingleTenant", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(type, "UserAssignedMSI", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(string.IsNullOrEmpty(type)
                ? "MicrosoftAppType is missing: set SingleTenant or UserAssignedMSI (or Bot:LocalPlayground=true for a local Playground run)."
                : $"MicrosoftAppType '{type}' is not supported: use SingleTenant or UserAssignedMSI (new multi-tenant bots can no longer be created).");
        }
        if (!Guid.TryParse(options.MicrosoftAppId, out _))
        {
            errors.Add("MicrosoftAppId is missing or not a GUID: set the bot's Entra app (or managed identity) client id.");
        }
        if (!Guid.TryParse(options.MicrosoftAppTenantId, out _))
        {
            errors.Add("MicrosoftAppTenantId is missing or not a GUID: set the Entra tenant id the bot belongs to.");
        }
        if (string.Equals(type, "SingleTenant", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(options.MicrosoftAppPassword))
        {
            errors.Add("MicrosoftAppPassword is missing: a SingleTenant bot needs its client secret (store it in Key Vault).");
        }
    }
}

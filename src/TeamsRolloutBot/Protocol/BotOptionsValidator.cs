using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

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

        if (BotCloud.Find(options.Cloud) is null)
        {
            errors.Add($"Bot:Cloud '{options.Cloud}' is not known: use one of {string.Join(", ", BotCloud.All.Select(c => c.Name))}.");
        }
        if (!Uri.TryCreate(options.EffectiveOpenIdMetadataUrl, UriKind.Absolute, out var metadata)
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
        if (options.InlineReplyTimeout <= TimeSpan.Zero || options.InlineReplyTimeout > TimeSpan.FromSeconds(10))
        {
            errors.Add($"Bot:InlineReplyTimeout must be more than 0 and at most 10 seconds (Teams waits 15 s for the answer); got {options.InlineReplyTimeout}.");
        }
        if (options.ReplyRetryBaseDelay <= TimeSpan.Zero || options.ReplyLifetime <= TimeSpan.Zero || options.ReplyPollInterval <= TimeSpan.Zero)
        {
            errors.Add("Bot:ReplyRetryBaseDelay, Bot:ReplyLifetime and Bot:ReplyPollInterval must be positive.");
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

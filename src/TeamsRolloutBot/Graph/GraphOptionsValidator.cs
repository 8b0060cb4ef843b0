using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Graph;

/// <summary>Checks <see cref="GraphOptions"/> at start-up; every message names its key.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            errors.Add($"Graph:BaseUrl must be an absolute https URL (http only on loopback, for tests); it is '{options.BaseUrl}'.");
        }
        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Graph:Timeout must be between 00:00:01 and 00:05:00; it is {options.Timeout}.");
        }
        if (options.MaxShortRetryWait < TimeSpan.Zero || options.MaxShortRetryWait > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Graph:MaxShortRetryWait must be between 00:00:00 and 00:01:00; it is {options.MaxShortRetryWait}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

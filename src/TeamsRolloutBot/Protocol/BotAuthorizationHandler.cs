using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// Adds the app's Bot Connector token (scope <c>https://api.botframework.com/.default</c>, or the configured cloud's) to requests for an
/// allow-listed serviceUrl (<see cref="ServiceUrlPolicy"/>), and to no other; in local Playground mode to none. The
/// credential is the app's one <see cref="TokenCredential"/> (<see cref="AppCredential"/>, shared with Graph's
/// <c>GraphAuthorizationHandler</c>), which caches tokens itself.
/// </summary>
public sealed class BotAuthorizationHandler(TokenCredential credential, ServiceUrlPolicy serviceUrls, IOptions<BotOptions> options) : DelegatingHandler
{
    private readonly TokenRequestContext _request = new([options.Value.CloudSettings.ConnectorScope]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // ConnectorClient refuses an unlisted serviceUrl before sending; this is the same rule where the token is added.
        if (!options.Value.LocalPlayground && serviceUrls.IsAllowed(request.RequestUri?.AbsoluteUri))
        {
            var token = await credential.GetTokenAsync(_request, cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }
        else
        {
            request.Headers.Authorization = null;
        }
        return await base.SendAsync(request, cancellationToken);
    }
}

using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace TeamsRolloutBot.Graph;

/// <summary>
/// Adds the app's Graph token (scope <c>https://graph.microsoft.com/.default</c>, or the configured cloud's Graph host) to requests for the configured
/// <c>Graph:BaseUrl</c> origin, and to no other: a nextLink or a misbuilt URL to another host goes without a token
/// (bot-protocol.md §5.2). The credential is the app's one <see cref="TokenCredential"/>, which caches tokens itself.
/// </summary>
public sealed class GraphAuthorizationHandler(TokenCredential credential, IOptions<GraphOptions> options, IOptions<Protocol.BotOptions> bot) : DelegatingHandler
{
    private readonly TokenRequestContext _request = new([bot.Value.CloudSettings.GraphScope]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsGraph(request.RequestUri, options.Value))
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

    /// <summary>True when <paramref name="uri"/> has the scheme, host and port of <c>Graph:BaseUrl</c>.</summary>
    internal static bool IsGraph(Uri? uri, GraphOptions options) =>
        uri is { IsAbsoluteUri: true } && Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var graph)
        && Uri.Compare(uri, graph, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

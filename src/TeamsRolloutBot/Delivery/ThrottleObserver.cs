namespace TeamsRolloutBot.Delivery;

/// <summary>
/// Sees every connector call, including the ones the resilience pipeline retries: a retry takes a pacer slot like the
/// first attempt (it is one more call against the tenant's limit), and a 429 pauses the tenant.
/// </summary>
public sealed class ThrottleObserver(TenantPacer pacer) : DelegatingHandler
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);
    private static readonly HttpRequestOptionsKey<bool> Attempted = new("TeamsRolloutBot.Delivery.Attempted");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The caller took a slot for the first attempt. Unpaced retries of 429s arrive together with the slots handed
        // out when the pause ends and overrun the limit again; with several instances they overrun the others' share.
        if (request.Options.TryGetValue(Attempted, out var attempted) && attempted)
        {
            await pacer.WaitAsync(cancellationToken);
        }
        request.Options.Set(Attempted, true);
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode == 429)
        {
            pacer.Pause(Protocol.ConnectorClient.RetryAfter(response) is { } wait && wait > TimeSpan.Zero ? wait : DefaultPause);
        }
        return response;
    }
}

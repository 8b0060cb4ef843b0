namespace TeamsRolloutBot.Protocol;

/// <summary>The one reading of an HTTP <c>Retry-After</c> header (seconds or a date), shared by the connector and Graph.</summary>
public static class RetryAfterHeader
{
    /// <summary>The wait the response asks for, or null when it names none; a date in the past is no wait.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider? time = null)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - (time ?? TimeProvider.System).GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}

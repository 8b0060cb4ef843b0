using System.Text.Json;
using Azure.Identity;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// Sends the bot's replies without holding the inbound request: one attempt inside the request, without in-process
/// retries and within <c>Bot:InlineReplyTimeout</c>; a reply that fails (connector error, throttling, no token) goes to
/// the durable <see cref="IReplyOutbox"/>, and this service retries it from there with backoff (honouring Retry-After)
/// until it is sent, the conversation is gone, or <c>Bot:ReplyLifetime</c> has passed. Every end is logged.
/// </summary>
public sealed partial class ReplySender(
    IReplyOutbox outbox,
    ConnectorClient connector,
    IHttpClientFactory http,
    ServiceUrlPolicy serviceUrls,
    IOptions<BotOptions> options,
    TimeProvider time,
    ILogger<ReplySender> logger,
    ILogger<ConnectorClient> connectorLogger) : BackgroundService
{
    /// <summary>The named HttpClient of the one attempt inside a request: the token handler, no retries.</summary>
    public const string InlineClient = "connector-inline";

    private const int Batch = 20;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly BotOptions _options = options.Value;
    private ConnectorClient? _inline;

    private ConnectorClient Inline => _inline ??= new ConnectorClient(http.CreateClient(InlineClient), serviceUrls, connectorLogger);

    /// <summary>
    /// Replies to <paramref name="inbound"/>: as a reply to it when it has an id and <paramref name="asReply"/>, else as a
    /// new message in its conversation. Returns true when the reply went out in this call, false when it was queued.
    /// </summary>
    public async Task<bool> ReplyAsync(Activity inbound, Activity reply, CancellationToken requestAborted, bool asReply = true)
    {
        var serviceUrl = inbound.ServiceUrl!;
        var conversationId = inbound.Conversation!.Id!;
        var replyTo = asReply && inbound.Id is { Length: > 0 } id ? id : null;
        var error = await TryOnceAsync(serviceUrl, conversationId, replyTo, reply, requestAborted);
        if (error is null)
        {
            return true;
        }
        var now = time.GetUtcNow();
        var pending = new PendingReply(Guid.NewGuid().ToString("N"), serviceUrl, conversationId, replyTo,
            JsonSerializer.Serialize(reply, ProtocolJsonContext.Default.Activity), 1, now + Delay(1, error.Value.RetryAfter), now, error.Value.Text);
        // Queued even when the request was aborted: the person still gets the answer to what they asked.
        await outbox.AddAsync(pending, CancellationToken.None);
        LogQueued(logger, pending.Id, error.Value.Text);
        _wake.Release();
        return false;
    }

    /// <summary>
    /// One attempt inside the request, nothing queued: for a message that is sent again anyway when it fails (the
    /// welcome card, on the next install event). Returns why it failed, or null when it was sent.
    /// </summary>
    public async Task<string?> TrySendOnceAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken requestAborted) =>
        (await TryOnceAsync(serviceUrl, conversationId, null, activity, requestAborted))?.Text;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogPassFailed(logger, ex);
            }
            try
            {
                await _wake.WaitAsync(_options.ReplyPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the replies that are due; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        var now = time.GetUtcNow();
        foreach (var pending in await outbox.LeaseDueAsync(now, Batch, _options.ConnectorTimeout * 2, cancellationToken))
        {
            var activity = JsonSerializer.Deserialize(pending.ActivityJson, ProtocolJsonContext.Default.Activity)!;
            var result = pending.ReplyToId is { } replyTo
                ? await connector.ReplyToActivityAsync(pending.ServiceUrl, pending.ConversationId, replyTo, activity, cancellationToken)
                : await connector.SendToConversationAsync(pending.ServiceUrl, pending.ConversationId, activity, cancellationToken);
            var attempts = pending.Attempts + 1;
            if (result.IsSuccess)
            {
                await outbox.RemoveAsync(pending.Id, cancellationToken);
                LogSent(logger, pending.Id, attempts, now - pending.CreatedUtc);
                sent++;
                continue;
            }
            var text = $"{result.Outcome} {(int?)result.StatusCode} {result.ErrorCode}".Trim();
            var final = result.Outcome is ConnectorOutcome.RecipientGone or ConnectorOutcome.BotBlocked or ConnectorOutcome.Permanent;
            if (final || now - pending.CreatedUtc >= _options.ReplyLifetime)
            {
                await outbox.RemoveAsync(pending.Id, cancellationToken);
                LogGivenUp(logger, pending.Id, attempts, text);
                continue;
            }
            await outbox.RescheduleAsync(pending.Id, now + Delay(attempts, result.RetryAfter), text, cancellationToken);
            LogRetrying(logger, pending.Id, attempts, text);
        }
        return sent;
    }

    /// <summary>One attempt within the inline time limit; null when sent, else why not.</summary>
    private async Task<(string Text, TimeSpan? RetryAfter)?> TryOnceAsync(string serviceUrl, string conversationId, string? replyTo, Activity reply, CancellationToken requestAborted)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        limit.CancelAfter(_options.InlineReplyTimeout);
        try
        {
            var result = replyTo is not null
                ? await Inline.ReplyToActivityAsync(serviceUrl, conversationId, replyTo, reply, limit.Token)
                : await Inline.SendToConversationAsync(serviceUrl, conversationId, reply, limit.Token);
            return result.IsSuccess ? null : ($"{result.Outcome} {(int?)result.StatusCode} {result.ErrorCode}".Trim(), result.RetryAfter);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return (requestAborted.IsCancellationRequested ? "the request was aborted" : $"no answer within {_options.InlineReplyTimeout.TotalSeconds:0.#} s", null);
        }
        catch (AuthenticationFailedException ex)
        {
            return ($"no connector token: {ex.GetType().Name}", null);
        }
    }

    /// <summary>Exponential from <c>Bot:ReplyRetryBaseDelay</c>, at most five minutes; a Retry-After wins when it is longer.</summary>
    private TimeSpan Delay(int attempts, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, _options.ReplyRetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 16))));
        return retryAfter is { } wait && wait > backoff ? wait : backoff;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Reply {Reply} not sent inside the request ({Error}); queued for retries")]
    private static partial void LogQueued(ILogger logger, string reply, string error);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Queued reply {Reply} sent after {Attempts} attempts, {Delay} after the request")]
    private static partial void LogSent(ILogger logger, string reply, int attempts, TimeSpan delay);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "Queued reply {Reply} failed (attempt {Attempts}: {Error}); retrying")]
    private static partial void LogRetrying(ILogger logger, string reply, int attempts, string error);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Error, Message = "Queued reply {Reply} given up after {Attempts} attempts: {Error}")]
    private static partial void LogGivenUp(ILogger logger, string reply, int attempts, string error);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Error, Message = "Reply outbox pass failed; retrying at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

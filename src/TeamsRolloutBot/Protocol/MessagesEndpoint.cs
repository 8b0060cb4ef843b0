using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Conversations;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Protocol;

/// <summary>
/// <c>POST /api/messages</c>: size limit (413), token (401), body (400 problem+json), endorsement / serviceurl /
/// tenant / serviceUrl allow-list (403), redelivery dedupe, then the bot. Invokes answer with the handler's status
/// and body; everything else with 200.
/// </summary>
public static class MessagesEndpoint
{
    public static IEndpointRouteBuilder MapBotMessages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/messages", HandleAsync).DisableAntiforgery();
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<BotOptions>>().Value.LocalPlayground)
        {
            Log.LocalModeOn(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("TeamsRolloutBot.Protocol.MessagesEndpoint"));
        }
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        BotAuthenticator authenticator,
        IInboundActivityLog inbound,
        RolloutBot bot,
        IOptions<BotOptions> options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("TeamsRolloutBot.Protocol.MessagesEndpoint");
        var cancellationToken = context.RequestAborted;
        var limit = options.Value.MaxBodyBytes;

        if (options.Value.LocalPlayground && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            return Refuse(logger, StatusCodes.Status403Forbidden, "local Playground mode accepts loopback callers only");
        }
        if (context.Request.ContentLength > limit)
        {
            return Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"body of {context.Request.ContentLength} bytes is over the {limit}-byte limit");
        }

        var token = await authenticator.ValidateTokenAsync(context.Request.Headers.Authorization.FirstOrDefault(), cancellationToken);
        if (token.Result.Verdict != AuthVerdict.Allowed)
        {
            return Refuse(logger, StatusCodes.Status401Unauthorized, token.Result.Reason ?? "unauthenticated");
        }

        var body = await ReadBodyAsync(context.Request, limit, cancellationToken);
        if (body is null)
        {
            return Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"body is over the {limit}-byte limit");
        }
        var read = ActivityReader.Read(body);
        if (read.Activity is not { } activity)
        {
            Count("invalid", 400);
            Log.InboundRefused(logger, 400, read.Detail!);
            // errors: the offending JSON paths, as ASP.NET Core's own JSON input errors name them.
            return Results.ValidationProblem(read.Errors!, detail: read.Detail, title: "The request body is not a valid activity");
        }

        var verdict = authenticator.Authorize(token, activity);
        if (verdict.Verdict != AuthVerdict.Allowed)
        {
            var status = verdict.Verdict == AuthVerdict.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            return Refuse(logger, status, verdict.Reason ?? "refused");
        }

        using var trace = BotTelemetry.Source.StartActivity("bot.activity");
        trace?.SetTag("bot.activity.type", activity.Type);
        trace?.SetTag("bot.conversation.type", activity.Conversation?.ConversationType);

        // Invokes are not deduplicated here: the caller waits for their body, and their handlers are idempotent
        // (a survey answer, a confirmation flip), so a repeated invoke gets the same card instead of an empty answer.
        // Edits and deletions carry the id of the message they change (every edit the same id): their handler is idempotent.
        // A typing indicator changes nothing, so a redelivered one needs no claim (and costs the store no write).
        var dedupe = activity.Id is { Length: > 0 } id && activity.Type is not (ActivityTypes.Invoke or ActivityTypes.Typing or "messageUpdate" or "messageDelete")
            ? (activity.ChannelId!, activity.Conversation!.Id!, id)
            : default;
        if (dedupe != default && !await inbound.TryClaimAsync(dedupe.Item1, dedupe.Item2, dedupe.Item3, cancellationToken))
        {
            Log.Redelivered(logger, activity.Type!);
            Count(activity.Type!, 200);
            return Results.Ok();
        }

        InvokeResponse? response;
        try
        {
            response = await bot.OnActivityAsync(activity, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, activity.Type!, ex);
            if (dedupe != default)
            {
                await inbound.ReleaseAsync(dedupe.Item1, dedupe.Item2, dedupe.Item3, CancellationToken.None);
            }
            Count(activity.Type!, 500);
            return Results.Problem(statusCode: 500, title: "The bot could not handle this activity");
        }

        Count(activity.Type!, response?.Status ?? 200);
        if (activity.Type == ActivityTypes.Invoke)
        {
            response ??= new InvokeResponse(StatusCodes.Status501NotImplemented);
            return response.Body is null
                ? Results.StatusCode(response.Status)
                : Results.Text(response.Body.ToJsonString(), "application/json", statusCode: response.Status);
        }
        return Results.Ok();
    }

    private static IResult Refuse(ILogger logger, int status, string reason)
    {
        Log.InboundRefused(logger, status, reason);
        Count("refused", status);
        // The reason stays in the log: a caller learns only the status.
        return Results.Problem(statusCode: status, title: ReasonPhrases(status));
    }

    private static string ReasonPhrases(int status) => status switch
    {
        401 => "Unauthorized",
        403 => "Forbidden",
        413 => "Payload Too Large",
        _ => "Refused",
    };

    private static void Count(string type, int status) =>
        BotTelemetry.ActivitiesReceived.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("status", status));

    /// <summary>Reads at most <paramref name="limit"/> bytes (chunked bodies have no Content-Length); null when there is more.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit, (int?)request.ContentLength ?? 16 * 1024) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}

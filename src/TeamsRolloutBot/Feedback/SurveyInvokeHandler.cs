using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Answers the survey card's Universal Actions (<c>adaptiveCard/action</c> invokes with verbs <c>survey.submit</c>,
/// <c>survey.refresh</c>, <c>survey.edit</c>) and the <c>Action.Submit</c> fallback of old clients. Every answer is
/// stored before the response; the SharePoint copy and the card's refresh list follow in the background.
/// </summary>
public sealed partial class SurveyInvokeHandler(
    IFeedbackStore store, SurveyCards cards, FeedbackWorkSignal signal, IOptions<FeedbackOptions> options, ILogger<SurveyInvokeHandler> logger)
{
    public const string InvokeName = "adaptiveCard/action";
    public const string Submit = "survey.submit";
    public const string Refresh = "survey.refresh";
    public const string Edit = "survey.edit";

    /// <summary>True for an <c>adaptiveCard/action</c> invoke whose verb starts with <c>survey.</c>.</summary>
    public static bool IsSurveyAction(Activity activity) =>
        activity.Type == ActivityTypes.Invoke && activity.Name == InvokeName
        && Verb(activity)?.StartsWith("survey.", StringComparison.Ordinal) == true;

    /// <summary>True for the <c>Action.Submit</c> fallback of the survey button (a message whose value has verb survey.submit).</summary>
    public static bool IsSurveySubmit(Activity activity) =>
        activity.Type == ActivityTypes.Message && activity.Value is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String && verb.GetString() is Submit or Edit;

    /// <summary>The invoke response: a card for this user only (thanks, or the survey with errors), or a 400 for a broken card.</summary>
    public async Task<InvokeResponse> OnInvokeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var verb = Verb(activity)!;
        var data = ActionData(activity);
        var language = cards.LanguageFor(activity.GetLocale());
        if (Placement(data) is not { } placement)
        {
            Log.BrokenCard(logger, verb, "surveyId missing");
            return Respond(AdaptiveCardInvokeResponse.Error(400, "BadRequest", CardStrings.Text(language, "feedback.brokenCard")));
        }
        if (activity.From?.AadObjectId is not { Length: > 0 } aad)
        {
            Log.BrokenCard(logger, verb, "no aadObjectId on the sender");
            return Respond(AdaptiveCardInvokeResponse.Error(400, "BadRequest", CardStrings.Text(language, "feedback.unknownUser")));
        }
        var respondent = new SurveyRespondent(aad, activity.From.Id, activity.From.Name, activity.GetLocale());
        var message = CardMessage(activity, placement, language);

        switch (verb)
        {
            case Submit:
                var submission = SurveyAnswerParser.Parse(data, options.Value.CommentMaxLength);
                if (!submission.IsValid)
                {
                    var fields = string.Join(",", submission.Errors.Select(e => e.Field).Distinct());
                    Log.SubmissionRefused(logger, placement.SurveyId, fields);
                    FeedbackTelemetry.Answer("refused");
                    // Empty refresh list: this user's card with their values must not be replaced by an automatic refresh.
                    return Card(cards.Survey(placement, submission.Values, [], submission.Errors, language));
                }
                var saved = await store.SaveAsync(placement, respondent, submission.Answer!, cancellationToken);
                if (message is not null)
                {
                    await store.TouchCardMessageAsync(message, cancellationToken);
                }
                signal.Notify();
                Log.AnswerStored(logger, placement.SurveyId, saved.Version, saved.Changed);
                FeedbackTelemetry.Answer(saved.Changed ? "stored" : "unchanged");
                return Card(cards.Thanks(placement, submission.Answer!, Self(respondent), language));

            case Edit:
                var current = await store.FindAsync(placement.SurveyId, aad, cancellationToken);
                return Card(cards.Survey(placement, current?.Answer.ToCardValues(), [], null, language));

            case Refresh:
                var answered = await store.FindAsync(placement.SurveyId, aad, cancellationToken);
                if (answered is not null)
                {
                    return Card(cards.Thanks(placement, answered.Answer, Self(respondent), language));
                }
                var refreshIds = message is { ConversationType: not "personal" }
                    ? await store.RecentRespondentIdsAsync(placement.SurveyId, placement.DepartmentId, SurveyCards.MaxRefreshUserIds, cancellationToken)
                    : [];
                return Card(cards.Survey(placement, null, refreshIds, null, language));

            default:
                Log.BrokenCard(logger, verb, "unknown verb");
                return Respond(AdaptiveCardInvokeResponse.Error(400, "BadRequest", CardStrings.Text(language, "feedback.brokenCard")));
        }
    }

    /// <summary>
    /// The <c>Action.Submit</c> fallback (old clients): the answer is stored the same way; the reply is the thank-you card
    /// in a personal chat, a short text in a channel or group chat (the reply is visible to everyone there).
    /// </summary>
    public async Task<Activity> OnSubmitAsync(Activity activity, CancellationToken cancellationToken)
    {
        var data = activity.Value;
        var language = cards.LanguageFor(activity.GetLocale());
        if (Placement(data) is not { } placement || activity.From?.AadObjectId is not { Length: > 0 } aad)
        {
            return Activity.CreateMessage(CardStrings.Text(language, "feedback.brokenCard"));
        }
        var isEdit = data!.Value.GetProperty("verb").GetString() == Edit;
        var respondent = new SurveyRespondent(aad, activity.From.Id, activity.From.Name, activity.GetLocale());
        if (isEdit)
        {
            var current = await store.FindAsync(placement.SurveyId, aad, cancellationToken);
            return activity.IsGroupConversation()
                ? Activity.CreateMessage(CardStrings.Text(language, "feedback.editInPersonalChat"))
                : Activity.CreateCard(cards.Survey(placement, current?.Answer.ToCardValues(), [], null, language));
        }
        var submission = SurveyAnswerParser.Parse(data, options.Value.CommentMaxLength);
        if (!submission.IsValid)
        {
            var errors = string.Join(" ", submission.Errors.Select(e => SurveyCards.ErrorText(e, language)));
            return Activity.CreateMessage(CardStrings.Text(language, "feedback.submitRefused", new Dictionary<string, string> { ["errors"] = errors }));
        }
        var saved = await store.SaveAsync(placement, respondent, submission.Answer!, cancellationToken);
        signal.Notify();
        Log.AnswerStored(logger, placement.SurveyId, saved.Version, saved.Changed);
        FeedbackTelemetry.Answer(saved.Changed ? "stored" : "unchanged");
        return activity.IsGroupConversation()
            ? Activity.CreateMessage(CardStrings.Text(language, "feedback.thanksShort"))
            : Activity.CreateCard(cards.Thanks(placement, submission.Answer!, Self(respondent), language));
    }

    private static IReadOnlyList<string> Self(SurveyRespondent respondent) => respondent.UserId is { } id ? [id] : [];

    private SurveyCardMessage? CardMessage(Activity activity, SurveyPlacement placement, string userLanguage)
    {
        if (activity.ReplyToId is not { Length: > 0 } activityId || activity.Conversation?.Id is not { } conversationId || activity.ServiceUrl is not { } serviceUrl)
        {
            return null;
        }
        var personal = !activity.IsGroupConversation();
        return new SurveyCardMessage(conversationId, activityId, serviceUrl, activity.Conversation.ConversationType ?? (personal ? "personal" : "channel"),
            placement, personal ? userLanguage : cards.ChannelLanguageFor(placement.DepartmentId), personal ? activity.From?.Id : null);
    }

    private static InvokeResponse Card(JsonObject card) => Respond(AdaptiveCardInvokeResponse.Card(card));

    private static InvokeResponse Respond(AdaptiveCardInvokeResponse response) => InvokeResponse.From(response);

    private static string? Verb(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object
        && action.TryGetProperty("verb", out var verb) && verb.ValueKind == JsonValueKind.String
            ? verb.GetString()
            : null;

    private static JsonElement? ActionData(Activity activity) =>
        activity.Value is { ValueKind: JsonValueKind.Object } value
        && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object
        && action.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data
            : null;

    private static SurveyPlacement? Placement(JsonElement? data)
    {
        string? Get(string name) =>
            data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && v.GetString() is { Length: > 0 and <= 200 } s ? s : null;
        return Get("surveyId") is { } surveyId
            ? new SurveyPlacement(surveyId, Get("waveId"), Get("departmentId"), Get("messageId"))
            : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "Survey {SurveyId} answer stored as version {Version} (changed: {Changed})")]
        public static partial void AnswerStored(ILogger logger, string surveyId, int version, bool changed);

        [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Survey {SurveyId} submission refused; invalid fields: {Fields}")]
        public static partial void SubmissionRefused(ILogger logger, string surveyId, string fields);

        [LoggerMessage(EventId = 1802, Level = LogLevel.Warning, Message = "Survey action {Verb} refused: {Reason}")]
        public static partial void BrokenCard(ILogger logger, string verb, string reason);
    }
}

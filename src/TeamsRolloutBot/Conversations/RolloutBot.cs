using System.Text.Json.Nodes;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// The bot's conversation behaviour: remembers every conversation it is in, welcomes on install, answers <c>help</c>
/// in any scope and gives a hint for anything else. In channels and group chats it speaks only when @mentioned.
/// </summary>
public sealed class RolloutBot(ConversationStore conversations, ConnectorClient connector, BotTexts texts, SurveyInvokeHandler survey, ILogger<RolloutBot> logger)
{
    /// <summary>Handles one authenticated activity; for invokes the return value is the HTTP response.</summary>
    public async Task<InvokeResponse?> OnActivityAsync(Activity activity, CancellationToken cancellationToken)
    {
        switch (activity.Type)
        {
            case ActivityTypes.InstallationUpdate or ActivityTypes.ConversationUpdate when activity.IsBotUninstalled():
                await conversations.MarkUninstalledAsync(activity.Conversation!.Id!, cancellationToken);
                Log.Uninstalled(logger, activity.Conversation.ConversationType ?? "personal");
                return null;
            case ActivityTypes.InstallationUpdate or ActivityTypes.ConversationUpdate when activity.IsBotInstalled():
                await conversations.UpsertAsync(ConversationReference.FromActivity(activity), cancellationToken);
                await WelcomeAsync(activity, cancellationToken);
                return null;
            case ActivityTypes.Invoke when SurveyInvokeHandler.IsSurveyAction(activity):
                return await survey.OnInvokeAsync(activity, cancellationToken);
            case ActivityTypes.Message when SurveyInvokeHandler.IsSurveySubmit(activity):
                await conversations.UpsertAsync(ConversationReference.FromActivity(activity), cancellationToken);
                await ReplyAsync(activity, await survey.OnSubmitAsync(activity, cancellationToken), cancellationToken);
                return null;
            case ActivityTypes.Message:
                await conversations.UpsertAsync(ConversationReference.FromActivity(activity), cancellationToken);
                await OnMessageAsync(activity, cancellationToken);
                return null;
            case ActivityTypes.Invoke:
                return null;
            default:
                return null;
        }
    }

    private async Task OnMessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.IsGroupConversation() && !activity.MentionsBot())
        {
            // Channel chatter not addressed to the bot: no answer, no noise.
            return;
        }
        var text = activity.GetTextWithoutBotMention();
        if (text.Length == 0 && activity.Value is not null)
        {
            return;
        }
        var language = BotTexts.LanguageOf(activity);
        var command = text.Split(' ', 2)[0].ToLowerInvariant();
        Activity reply = command is "help" or "hulp" or "?" or "menu"
            ? Activity.CreateCard(HelpCard(language), texts.Get(language, "help.summary"))
            : Activity.CreateMessage(texts.Format(language, "hint.unknown", Truncate(text, 60)));
        await ReplyAsync(activity, reply, cancellationToken);
    }

    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = activity.Conversation!.Id!;
        if (!await conversations.TryClaimWelcomeAsync(conversationId, cancellationToken))
        {
            return;
        }
        var language = BotTexts.LanguageOf(activity);
        var card = Activity.CreateCard(WelcomeCard(language), texts.Get(language, "welcome.summary"));
        var result = await connector.SendToConversationAsync(activity.ServiceUrl!, conversationId, card, cancellationToken);
        if (!result.IsSuccess)
        {
            await conversations.ReleaseWelcomeAsync(conversationId, cancellationToken);
            Log.WelcomeFailed(logger, result.Outcome, (int?)result.StatusCode ?? 0);
        }
    }

    private async Task ReplyAsync(Activity inbound, Activity reply, CancellationToken cancellationToken)
    {
        var conversationId = inbound.Conversation!.Id!;
        var result = inbound.Id is { Length: > 0 } id
            ? await connector.ReplyToActivityAsync(inbound.ServiceUrl!, conversationId, id, reply, cancellationToken)
            : await connector.SendToConversationAsync(inbound.ServiceUrl!, conversationId, reply, cancellationToken);
        if (!result.IsSuccess)
        {
            Log.ReplyFailed(logger, result.Outcome, (int?)result.StatusCode ?? 0);
        }
    }

    private JsonObject WelcomeCard(string language) => Card(
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "welcome.title"), ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "welcome.body"), ["wrap"] = true },
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "welcome.next"), ["wrap"] = true, ["isSubtle"] = true });

    private JsonObject HelpCard(string language) => Card(
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "help.title"), ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "help.body"), ["wrap"] = true },
        new JsonObject { ["type"] = "TextBlock", ["text"] = texts.Get(language, "help.commands"), ["wrap"] = true });

    private static JsonObject Card(params JsonNode[] body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = new JsonArray(body),
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

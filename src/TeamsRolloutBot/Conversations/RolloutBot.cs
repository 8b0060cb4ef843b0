using System.Text.Json.Nodes;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// The bot's conversation behaviour: remembers every conversation it is in, welcomes on install, and hands messages and
/// card actions to the commands (<see cref="LeadCommands"/>: help and whoami for everyone, the rest for leads).
/// In channels and group chats it speaks only when @mentioned.
/// </summary>
public sealed class RolloutBot(ConversationStore conversations, ConnectorClient connector, LeadCommands commands, BotTexts texts, ILogger<RolloutBot> logger)
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
            case ActivityTypes.Message:
                await conversations.UpsertAsync(ConversationReference.FromActivity(activity), cancellationToken);
                await OnMessageAsync(activity, cancellationToken);
                return null;
            case ActivityTypes.Invoke:
                return await commands.OnInvokeAsync(activity, cancellationToken);
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
        var reply = text.Length == 0 && activity.Value is not null
            ? await commands.OnSubmitAsync(activity, cancellationToken)
            : await commands.OnMessageAsync(activity, text, cancellationToken);
        if (reply is not null)
        {
            await ReplyAsync(activity, reply, cancellationToken);
        }
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

    private static JsonObject Card(params JsonNode[] body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = new JsonArray(body),
    };
}

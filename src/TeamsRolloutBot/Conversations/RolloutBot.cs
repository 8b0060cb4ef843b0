using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// The bot's conversation behaviour: remembers every conversation it is in, welcomes on install, answers <c>help</c>
/// in any scope and gives a hint for anything else. In channels and group chats it speaks only when @mentioned.
/// </summary>
public sealed class RolloutBot(ConversationStore conversations, ConnectorClient connector, PlanProvider plans, SurveyInvokeHandler survey, ILogger<RolloutBot> logger)
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
        var language = LanguageOf(activity);
        var command = text.Split(' ', 2)[0].ToLowerInvariant();
        Activity reply = command is "help" or "hulp" or "?" or "menu"
            ? Activity.CreateCard(Render(CardTemplateIds.Help, language), CardStrings.Text(language, "help.title"))
            : Activity.CreateMessage(CardStrings.Text(language, "help.unknownCommand"));
        await ReplyAsync(activity, reply, cancellationToken);
    }

    private async Task WelcomeAsync(Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = activity.Conversation!.Id!;
        if (!await conversations.TryClaimWelcomeAsync(conversationId, cancellationToken))
        {
            return;
        }
        var language = LanguageOf(activity);
        var card = Activity.CreateCard(Render(CardTemplateIds.Welcome, language), CardStrings.Text(language, "welcome.text"));
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

    /// <summary>nl or en: the user's Teams locale when the plan offers it, else the plan's default language.</summary>
    private string LanguageOf(Activity activity) =>
        CardLanguage.Resolve(plans.Current?.DefaultLanguage ?? "en", plans.Current?.Languages, userLocale: activity.GetLocale());

    /// <summary>One of the bot's own cards, with the plan's rollout name and contact when a plan is loaded.</summary>
    private JsonObject Render(string templateId, string language)
    {
        var data = plans.Current is { } plan ? PlanCards.Base(plan) : new CardData { RolloutName = "Intune" };
        return CardRenderer.Render(templateId, data.ToJson(), language);
    }
}

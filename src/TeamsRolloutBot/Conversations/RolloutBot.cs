using System.Text.Json.Nodes;
using TeamsRolloutBot.Cards;
using TeamsRolloutBot.Commands;
using TeamsRolloutBot.Feedback;
using TeamsRolloutBot.Feedback.Replies;
using TeamsRolloutBot.Plan;
using TeamsRolloutBot.Protocol;
using TeamsRolloutBot.Storage;

namespace TeamsRolloutBot.Conversations;

/// <summary>
/// The bot's conversation behaviour: remembers every conversation it is in, welcomes on install, and hands messages and
/// card actions to the commands (<see cref="LeadCommands"/>: help and whoami for everyone, the rest for leads).
/// In channels and group chats it speaks only when @mentioned; replies in tracked channel threads (post-enrollment
/// posts) are stored as feedback without an answer (<see cref="ThreadReplyHandler"/>).
/// </summary>
public sealed class RolloutBot(IConversationStore conversations, ReplySender sender, PlanProvider plans, SurveyInvokeHandler survey, LeadCommands commands, ThreadReplyHandler replies, ILogger<RolloutBot> logger)
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
                await sender.ReplyAsync(activity, await survey.OnSubmitAsync(activity, cancellationToken), cancellationToken);
                return null;
            case ActivityTypes.Message when ThreadReplyHandler.IsCandidate(activity) && await replies.TryHandleMessageAsync(activity, cancellationToken):
                // A reply in a tracked thread is feedback: stored, answered with nothing.
                return null;
            case ThreadReplyHandler.MessageUpdate or ThreadReplyHandler.MessageDelete:
                await replies.OnMessageChangeAsync(activity, cancellationToken);
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
        // A card's Action.Submit (old clients) carries a value and no mention; other channel chatter is not for the bot.
        if (activity.IsGroupConversation() && !activity.MentionsBot() && (activity.Value is null || !string.IsNullOrWhiteSpace(activity.Text)))
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
            await sender.ReplyAsync(activity, reply, cancellationToken);
        }
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
        if (await sender.TrySendOnceAsync(activity.ServiceUrl!, conversationId, card, cancellationToken) is { } failure)
        {
            await conversations.ReleaseWelcomeAsync(conversationId, cancellationToken);
            Log.WelcomeFailed(logger, failure);
        }
    }


    /// <summary>
    /// nl or en. In a personal chat: the user's Teams locale when the plan offers it, else the plan's default language.
    /// In a team or channel (everyone reads it): the language of the department whose team or channel it is, else the plan default.
    /// </summary>
    private string LanguageOf(Activity activity)
    {
        var plan = plans.Current;
        if (!activity.IsGroupConversation())
        {
            return CardLanguage.Resolve(plan?.DefaultLanguage ?? "en", plan?.Languages, userLocale: activity.GetLocale());
        }
        var where = ConversationReference.FromActivity(activity);
        var ids = new[] { where.ChannelIdInTeam, where.TeamId, where.TeamAadGroupId, where.ConversationId.Split(';')[0] }.Where(i => !string.IsNullOrEmpty(i)).ToList();
        var department = plan?.Departments.FirstOrDefault(d => ids.Contains(d.ChannelId, StringComparer.OrdinalIgnoreCase))
            ?? plan?.Departments.FirstOrDefault(d => ids.Contains(d.TeamId, StringComparer.OrdinalIgnoreCase));
        return CardLanguage.Resolve(plan?.DefaultLanguage ?? "en", plan?.Languages, department is null ? null : plan!.LanguageOf(department.Id));
    }

    /// <summary>One of the bot's own cards, with the plan's rollout name and contact when a plan is loaded.</summary>
    private JsonObject Render(string templateId, string language)
    {
        var data = plans.Current is { } plan ? PlanCards.Base(plan) : new CardData { RolloutName = CardStrings.Text(language, "common.defaultRollout") };
        return CardRenderer.Render(templateId, data.ToJson(), language);
    }
}

using System.Text.Json.Nodes;
using TeamsRolloutBot.Protocol;

namespace TeamsRolloutBot.Commands;

/// <summary>What a command answers: a text, an Adaptive Card, or another attachment (file consent).</summary>
public sealed record CommandReply(string? Text, JsonObject? Card = null, string? Summary = null, Attachment? Attachment = null)
{
    public static CommandReply Message(string text) => new(text);

    public static CommandReply FromCard(JsonObject card, string summary) => new(null, card, summary);

    /// <summary>The reply as a message activity.</summary>
    public Activity ToActivity()
    {
        if (Card is not null)
        {
            return Activity.CreateCard(Card, Summary);
        }
        if (Attachment is not null)
        {
            return new Activity { Type = ActivityTypes.Message, Text = Text, Attachments = [Attachment] };
        }
        return Activity.CreateMessage(Text ?? "");
    }

    /// <summary>The reply as an <c>adaptiveCard/action</c> invoke response: a card replaces the clicked card, a text is shown.</summary>
    public InvokeResponse ToInvokeResponse() =>
        Invoke(Card is not null ? AdaptiveCardInvokeResponse.Card(Card) : AdaptiveCardInvokeResponse.Message(Text ?? Summary ?? ""));

    public static InvokeResponse Invoke(AdaptiveCardInvokeResponse response) => InvokeResponse.From(response);
}

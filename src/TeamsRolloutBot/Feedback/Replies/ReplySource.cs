namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>Where a reply came from: the live activity Teams sent the bot, or the Graph catch-up.</summary>
public enum ReplySource
{
    Live,
    Graph,
}

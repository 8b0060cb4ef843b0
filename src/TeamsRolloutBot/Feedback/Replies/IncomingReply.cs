namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>One reply as received (live or from Graph): the current text and times; <see cref="DeletedAt"/> when deleted.</summary>
public sealed record IncomingReply(
    string ReplyId,
    string RootMessageId,
    string? AuthorAadObjectId,
    string? AuthorName,
    string Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    DateTimeOffset? DeletedAt,
    ReplySource Source);

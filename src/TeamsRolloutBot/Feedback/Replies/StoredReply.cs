namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>A stored thread reply: one record per reply id, whatever way it arrived.</summary>
public sealed record StoredReply(
    string ReplyId,
    string RootMessageId,
    string? AuthorAadObjectId,
    string? AuthorName,
    string WaveId,
    string DepartmentId,
    string MessageId,
    string Text,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    DateTimeOffset? DeletedAt,
    ReplySource Source);

using System.Globalization;
using System.Text.Json.Nodes;
using TeamsRolloutBot.Graph;
using TeamsRolloutBot.Feedback.Replies;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// The SharePoint list's columns (see docs/feedback.md) and the mapping of a survey answer or a thread reply to item
/// fields. Both go to the one list; <see cref="KindColumn"/> tells them apart.
/// </summary>
public static class FeedbackListSchema
{
    /// <summary>The choice column that says what an item is: <see cref="KindSurvey"/> or <see cref="KindThreadReply"/>.</summary>
    public const string KindColumn = "FeedbackKind";

    public const string KindSurvey = "Survey";
    public const string KindThreadReply = "Thread reply";

    /// <summary>Every column the bot writes besides Title: name, kind (Graph column facet) and definition.</summary>
    public static IReadOnlyList<(string Name, string Kind, JsonObject Definition)> Columns { get; } =
    [
        Column(SharePointListClient.CorrelationColumn, "text", new JsonObject { ["text"] = new JsonObject() }, indexed: true),
        Column(KindColumn, "choice", new JsonObject
        {
            ["choice"] = new JsonObject { ["choices"] = new JsonArray(KindSurvey, KindThreadReply), ["displayAs"] = "dropDownMenu", ["allowTextEntry"] = false },
        }),
        Column("SurveyId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("WaveId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("DepartmentId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Rating", "number", new JsonObject { ["number"] = new JsonObject { ["decimalPlaces"] = "none", ["minimum"] = 1, ["maximum"] = 5 } }),
        Column("EnrollmentSuccess", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Platform", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Duration", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Problems", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Comment", "text", new JsonObject { ["text"] = new JsonObject { ["allowMultipleLines"] = true } }),
        Column("ContactConsent", "boolean", new JsonObject { ["boolean"] = new JsonObject() }),
        Column("Respondent", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("RespondentId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("AnswerVersion", "number", new JsonObject { ["number"] = new JsonObject { ["decimalPlaces"] = "none" } }),
        Column("SubmittedAt", "dateTime", new JsonObject { ["dateTime"] = new JsonObject { ["format"] = "dateTime" } }),
        Column("UpdatedAt", "dateTime", new JsonObject { ["dateTime"] = new JsonObject { ["format"] = "dateTime" } }),
        Column("ReplyId", "text", new JsonObject { ["text"] = new JsonObject() }),
        Column("Deleted", "boolean", new JsonObject { ["boolean"] = new JsonObject() }),
    ];

    /// <summary>The item fields of an answer. Respondent name and id only with the respondent's consent.</summary>
    public static JsonObject Fields(StoredAnswer stored, string correlationId)
    {
        var a = stored.Answer;
        var p = stored.Placement;
        return new JsonObject
        {
            ["Title"] = $"{p.SurveyId} · {p.DepartmentId ?? "-"}",
            [SharePointListClient.CorrelationColumn] = correlationId,
            [KindColumn] = KindSurvey,
            ["SurveyId"] = p.SurveyId,
            ["WaveId"] = p.WaveId ?? "",
            ["DepartmentId"] = p.DepartmentId ?? "",
            ["Rating"] = a.Rating,
            ["EnrollmentSuccess"] = a.Success,
            ["Platform"] = a.Platform,
            ["Duration"] = a.Duration ?? "",
            ["Problems"] = string.Join(", ", a.Problems),
            ["Comment"] = a.Comment ?? "",
            ["ContactConsent"] = a.Consent,
            ["Respondent"] = a.Consent ? stored.Respondent.Name ?? "" : "",
            ["RespondentId"] = a.Consent ? stored.Respondent.AadObjectId : "",
            ["AnswerVersion"] = stored.Version,
            ["SubmittedAt"] = Utc(stored.FirstSubmittedAt),
            ["UpdatedAt"] = Utc(stored.UpdatedAt),
            ["Deleted"] = false,
        };
    }

    /// <summary>
    /// The item fields of a thread reply. The text goes into Comment; the author's name and id are written (the reply
    /// was posted under that name in the department's channel). A reply deleted in Teams keeps its item, marked
    /// Deleted with the text removed: the author withdrew it, and the list should not keep showing it.
    /// </summary>
    public static JsonObject ReplyFields(StoredReply reply, string correlationId)
    {
        var deleted = reply.DeletedAt is not null;
        return new JsonObject
        {
            ["Title"] = $"{KindThreadReply} · {reply.DepartmentId}",
            [SharePointListClient.CorrelationColumn] = correlationId,
            [KindColumn] = KindThreadReply,
            // As in the CSV export: the plan message whose post the reply answers.
            ["SurveyId"] = reply.MessageId,
            ["WaveId"] = reply.WaveId,
            ["DepartmentId"] = reply.DepartmentId,
            ["Comment"] = deleted ? "" : reply.Text,
            ["Respondent"] = reply.AuthorName ?? "",
            ["RespondentId"] = reply.AuthorAadObjectId ?? "",
            ["AnswerVersion"] = reply.Version,
            ["SubmittedAt"] = Utc(reply.CreatedAt),
            ["UpdatedAt"] = Utc(reply.DeletedAt ?? reply.ModifiedAt),
            ["ReplyId"] = reply.ReplyId,
            ["Deleted"] = deleted,
        };
    }

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The facet that gives a Graph columnDefinition its type (text, number, boolean, dateTime, ...).</summary>
    public static string KindOf(JsonObject column)
    {
        foreach (var kind in new[] { "text", "number", "boolean", "dateTime", "choice", "personOrGroup", "lookup", "currency", "calculated", "note" })
        {
            if (column[kind] is JsonObject)
            {
                return kind;
            }
        }
        return "other";
    }

    private static (string, string, JsonObject) Column(string name, string kind, JsonObject facet, bool indexed = false)
    {
        facet["name"] = name;
        facet["displayName"] = name;
        if (indexed)
        {
            facet["indexed"] = true;
        }
        return (name, kind, facet);
    }
}

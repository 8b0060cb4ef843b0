using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Feedback;

/// <summary>
/// Reads and checks the survey inputs of an <c>Action.Execute</c> (or <c>Action.Submit</c>) payload. Teams sends choice
/// values as strings, a multi-select as "a,b", the toggle as "true"/"false"; inputs left empty are missing or "".
/// </summary>
public static class SurveyAnswerParser
{
    private const int MaxEchoedComment = 1000;
    private const int MaxEchoedChoice = 100;

    public static SurveySubmission Parse(JsonElement? data, int commentMaxLength)
    {
        var errors = new List<SurveyFieldError>();
        var values = new JsonObject();
        string? Read(string field)
        {
            if (data is not { ValueKind: JsonValueKind.Object } d || !d.TryGetProperty(field, out var v))
            {
                return null;
            }
            var text = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                JsonValueKind.Array => string.Join(",", v.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : i.GetRawText())),
                _ => null,
            };
            text = text?.Trim();
            // Echoed into the card's inputs when the answer is refused: cut to what those inputs can hold, so a forged
            // payload cannot make the card too large for Teams (the comment input allows at most 1000 characters).
            values[field] = text is null ? "" : Cut(text, field == "comment" ? MaxEchoedComment : MaxEchoedChoice);
            return string.IsNullOrEmpty(text) ? null : text;
        }
        void Error(string field, string key, params (string Name, string Value)[] args) =>
            errors.Add(new SurveyFieldError(field, key, args.ToDictionary(a => a.Name, a => a.Value)));

        var ratingText = Read("rating");
        var rating = 0;
        if (ratingText is null)
        {
            Error("rating", "required");
        }
        else if (!int.TryParse(ratingText, NumberStyles.None, CultureInfo.InvariantCulture, out rating) || rating is < 1 or > 5)
        {
            Error("rating", "rating", ("value", Shorten(ratingText)));
        }

        var success = Choice("success", Read("success"), SurveyAnswer.SuccessValues, required: true);
        var platform = Choice("platform", Read("platform"), SurveyAnswer.PlatformValues, required: true);
        var duration = Choice("duration", Read("duration"), SurveyAnswer.DurationValues, required: false);

        var problems = new List<string>();
        if (Read("problems") is { } problemText)
        {
            foreach (var problem in problemText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var known = SurveyAnswer.ProblemValues.FirstOrDefault(p => string.Equals(p, problem, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    Error("problems", "choice", ("value", Shorten(problem)));
                    break;
                }
                if (!problems.Contains(known))
                {
                    problems.Add(known);
                }
            }
        }
        // One canonical order, so "apps,signin" and "signin,apps" are the same answer.
        problems.Sort((a, b) => IndexOf(SurveyAnswer.ProblemValues, a).CompareTo(IndexOf(SurveyAnswer.ProblemValues, b)));

        var comment = Read("comment");
        if (comment is not null)
        {
            comment = new string([.. comment.Where(c => !char.IsControl(c) || c is '\n' or '\r' or '\t')]).Replace("\r\n", "\n", StringComparison.Ordinal);
            if (comment.Length > commentMaxLength)
            {
                Error("comment", "commentTooLong",
                    ("length", comment.Length.ToString(CultureInfo.InvariantCulture)), ("max", commentMaxLength.ToString(CultureInfo.InvariantCulture)));
            }
            if (comment.Length == 0)
            {
                comment = null;
            }
        }

        var consent = false;
        if (Read("consent") is { } consentText)
        {
            if (consentText.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                consent = true;
            }
            else if (!consentText.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                Error("consent", "choice", ("value", Shorten(consentText)));
            }
        }

        var answer = errors.Count == 0
            ? new SurveyAnswer(rating, success!, platform!, duration, problems, comment, consent)
            : null;
        return new SurveySubmission(answer, errors, values);

        string? Choice(string field, string? value, IReadOnlyList<string> allowed, bool required)
        {
            if (value is null)
            {
                if (required)
                {
                    Error(field, "required");
                }
                return null;
            }
            var known = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                Error(field, "choice", ("value", Shorten(value)));
            }
            return known;
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return list.Count;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : Cut(value, 40) + "…";

    /// <summary>At most <paramref name="max"/> characters, never half of a surrogate pair.</summary>
    private static string Cut(string value, int max) =>
        value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];
}

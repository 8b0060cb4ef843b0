using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using TeamsRolloutBot.Cards;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Thread replies in feedback summaries and the CSV export. Problems are found by the keyword lists of
/// <c>Feedback:ThreadReplies:Problems</c> (a reply counts once per problem, however often it names it).
/// </summary>
public sealed class ThreadReplySummary(IThreadReplyStore store, IOptions<ThreadRepliesOptions> options)
{
    public const int MaxRecent = 5;
    private const int MaxChars = 300;

    /// <summary>The figures for a wave and/or department (deleted replies left out).</summary>
    public async Task<ReplyFigures> ComputeAsync(string? waveId, string? departmentId, CancellationToken cancellationToken)
    {
        var replies = await store.ListAsync(waveId, departmentId, cancellationToken: cancellationToken);
        var problems = options.Value.EffectiveProblems
            .Select(p => (Problem: p.Key, Count: replies.Count(r => p.Value.Any(k => k.Length > 0 && r.Text.Contains(k, StringComparison.OrdinalIgnoreCase)))))
            .Where(p => p.Count > 0)
            .OrderByDescending(p => p.Count).ThenBy(p => p.Problem, StringComparer.OrdinalIgnoreCase)
            .Take(5).ToList();
        return new ReplyFigures(replies.Count, [.. replies.Take(MaxRecent)], problems);
    }

    /// <summary>The card section for the summary card: a heading, the count, the problems and the recent replies.</summary>
    public static JsonObject Section(ReplyFigures figures, string language, Func<string?, string> department, TimeZoneInfo? zone)
    {
        var lang = CardStrings.IsSupported(language) ? CardStrings.Normalize(language) : "en";
        var culture = CultureInfo.GetCultureInfo(CardStrings.Text(lang, "language.culture"));
        string T(string key) => CardStrings.Text(lang, "feedbackSummary." + key);
        var items = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = T("repliesHeading"), ["style"] = "heading", ["weight"] = "Bolder", ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(new JsonObject { ["title"] = T("repliesCount"), ["value"] = figures.Count.ToString("N0", culture) }),
            },
        };
        if (figures.Problems.Count > 0)
        {
            items.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = T("repliesProblems"), ["weight"] = "Bolder", ["wrap"] = true });
            items.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. figures.Problems.Select(p => (JsonNode?)new JsonObject { ["title"] = p.Problem, ["value"] = p.Count.ToString("N0", culture) })]),
            });
        }
        foreach (var reply in figures.Recent)
        {
            var at = zone is null ? reply.CreatedAt : TimeZoneInfo.ConvertTime(reply.CreatedAt, zone);
            var text = reply.Text.Length > MaxChars ? reply.Text[..MaxChars] + "…" : reply.Text;
            items.Add(new JsonObject
            {
                ["type"] = "Container",
                ["spacing"] = "Small",
                ["items"] = new JsonArray(
                    new JsonObject { ["type"] = "RichTextBlock", ["inlines"] = new JsonArray(new JsonObject { ["type"] = "TextRun", ["text"] = "“" + text + "”" }) },
                    new JsonObject
                    {
                        ["type"] = "RichTextBlock",
                        ["spacing"] = "None",
                        ["inlines"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "TextRun",
                            ["text"] = $"{reply.AuthorName ?? T("repliesUnknownAuthor")} · {department(reply.DepartmentId)} · {at.ToString("g", culture)}",
                            ["isSubtle"] = true,
                            ["size"] = "Small",
                        }),
                    }),
            });
        }
        if (figures.Count == 0)
        {
            items.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = T("repliesNone"), ["isSubtle"] = true, ["wrap"] = true });
        }
        return new JsonObject { ["type"] = "Container", ["separator"] = true, ["items"] = items };
    }
}

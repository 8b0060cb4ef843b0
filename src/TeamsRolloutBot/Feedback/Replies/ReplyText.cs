using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Feedback.Replies;

/// <summary>
/// Plain text of a Teams message body: HTML converted (line breaks kept, tags dropped, entities decoded), mentions as
/// <c>@Name</c>, emoji as the character itself (the <c>alt</c> of <c>&lt;emoji&gt;</c> or an emoji <c>&lt;img&gt;</c>).
/// </summary>
public static partial class ReplyText
{
    /// <summary>The plain text of a body whose content type is <c>html</c> or <c>text</c>.</summary>
    public static string FromBody(string? content, string? contentType)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }
        return string.Equals(contentType, "text", StringComparison.OrdinalIgnoreCase) ? Collapse(content) : FromHtml(content);
    }

    /// <summary>Converts Teams HTML to plain text.</summary>
    public static string FromHtml(string html)
    {
        var text = Mention().Replace(html, m => "@" + StripTags(m.Groups[1].Value).Trim());
        text = Emoji().Replace(text, m => AltOf(m.Value) ?? "");
        text = Image().Replace(text, m => AltOf(m.Value) is { Length: > 0 } alt && IsEmojiImage(m.Value) ? alt : "");
        text = Break().Replace(text, "\n");
        text = BlockEnd().Replace(text, "\n");
        text = StripTags(text);
        return Collapse(WebUtility.HtmlDecode(text));
    }

    private static bool IsEmojiImage(string tag) => tag.Contains("emoji", StringComparison.OrdinalIgnoreCase) || tag.Contains("itemtype=\"http://schema.skype.com/Emoji\"", StringComparison.OrdinalIgnoreCase);

    private static string? AltOf(string tag) => Alt().Match(tag) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[2].Value) : null;

    private static string StripTags(string html) => Tag().Replace(html, "");

    /// <summary>Spaces collapsed per line, blank lines dropped, non-breaking spaces as spaces.</summary>
    private static string Collapse(string text)
    {
        var lines = text.Replace('\u00a0', ' ').Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            var collapsed = string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (collapsed.Length == 0)
            {
                continue;
            }
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }
            builder.Append(collapsed);
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"<at\b[^>]*>(.*?)</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Mention();

    [GeneratedRegex(@"<emoji\b[^>]*>(?:.*?</emoji>)?", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Emoji();

    [GeneratedRegex(@"<img\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Image();

    [GeneratedRegex(@"\balt\s*=\s*(""|')(.*?)\1", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Alt();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex(@"</(p|div|li|tr|h[1-6])\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
}

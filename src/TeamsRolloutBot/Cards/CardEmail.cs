// Over 400 lines on purpose: one converter from every Adaptive Card element the templates use to e-mail HTML, with its
// Markdown subset; split apart, the element cases would lose the shared context (language, link, nesting) they pass down.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// The e-mail of a plan message: the subject and an e-mail-safe HTML body made from the same rendered Adaptive Card
/// Teams gets, so every text and plan value comes from one place (the template, the strings and the plan).
/// </summary>
/// <remarks>
/// The HTML is what Outlook's Word engine renders: tables for layout, inline styles only, no scripts, no forms, no
/// CSS classes, every image with alt text. Card parts that need Teams become what an e-mail can do: hidden elements
/// (the platforms a <c>Action.ToggleVisibility</c> switches between) are all shown, <c>Action.ShowCard</c> cards are
/// shown expanded, and inputs with <c>Action.Execute</c>/<c>Action.Submit</c> become one link to the bot's chat in
/// Teams, where the card can be answered.
/// </remarks>
public static partial class CardEmail
{
    private const string Font = "font-family:'Segoe UI',-apple-system,Helvetica,Arial,sans-serif;";
    private const string TextColor = "#242424";
    private const string SubtleColor = "#616161";
    private const string LinkColor = "#4f52b2";
    private const string ButtonColor = "#5b5fc7";

    /// <summary>
    /// The Teams deep link to the bot's personal chat (<c>https://teams.microsoft.com/l/chat/0/0?users=28:&lt;app id&gt;</c>),
    /// or Teams itself when the bot's app id is not known.
    /// </summary>
    public static string TeamsChatLink(string? botAppId) =>
        string.IsNullOrWhiteSpace(botAppId)
            ? "https://teams.microsoft.com/"
            : "https://teams.microsoft.com/l/chat/0/0?users=28:" + Uri.EscapeDataString(botAppId.Trim());

    /// <summary>
    /// Renders <paramref name="templateId"/> with <paramref name="data"/> as a card (<see cref="CardRenderer.Render"/>),
    /// then as an e-mail in <paramref name="language"/>. The subject is <paramref name="subject"/>, else the plan
    /// message's <c>texts.subject</c>, else the card's title; it starts with the rollout's name.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="CardRenderer.Render"/>.</exception>
    /// <exception cref="CardTemplateException">As <see cref="CardRenderer.Render"/>.</exception>
    public static (string Subject, string Html) Render(string templateId, JsonObject data, string language, string teamsLink, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var card = CardRenderer.Render(templateId, data, language);
        var fallback = data["defaultLanguage"] is JsonValue d && d.TryGetValue<string>(out var dl) ? dl : null;
        var planSubject = CardViews.Str(CardRenderer.Localize(data["parameters"]?["texts"]?["subject"], language, fallback));
        var rollout = CardViews.Str(CardRenderer.Localize(data["rollout"]?["name"], language, fallback));
        return FromCard(card, language, teamsLink, subject ?? planSubject, rollout);
    }

    /// <summary>The e-mail of an already rendered card; see <see cref="Render"/> for the subject.</summary>
    public static (string Subject, string Html) FromCard(JsonObject card, string language, string teamsLink, string? subject = null, string? rolloutName = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(teamsLink);
        var title = string.IsNullOrWhiteSpace(subject) ? Title(card) ?? CardViews.Str(card["fallbackText"]) ?? "" : subject.Trim();
        var full = string.IsNullOrWhiteSpace(rolloutName) || title.Contains(rolloutName, StringComparison.OrdinalIgnoreCase)
            ? title
            : $"{rolloutName}: {title}";
        var lang = CardStrings.IsSupported(language) ? CardStrings.Normalize(language) : "en";
        var writer = new Writer(lang, teamsLink, rolloutName ?? "");
        return (full, writer.Document(card, full));
    }

    /// <summary>The card's title: its first large text, else its first heading.</summary>
    internal static string? Title(JsonObject card)
    {
        var blocks = TextBlocks(card["body"]).ToList();
        var large = blocks.FirstOrDefault(b => CardViews.Str(b["size"]) is { } size
            && (size.Equals("Large", StringComparison.OrdinalIgnoreCase) || size.Equals("ExtraLarge", StringComparison.OrdinalIgnoreCase)));
        var heading = large ?? blocks.FirstOrDefault(b => string.Equals(CardViews.Str(b["style"]), "heading", StringComparison.OrdinalIgnoreCase));
        return CardViews.Str(heading?["text"]) is { Length: > 0 } text ? PlainText(text) : null;
    }

    private static IEnumerable<JsonObject> TextBlocks(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var block in TextBlocks(item)) yield return block;
                }
                break;
            case JsonObject o when CardViews.Str(o["type"]) == "TextBlock":
                yield return o;
                break;
            case JsonObject o:
                foreach (var key in new[] { "items", "columns" })
                {
                    foreach (var block in TextBlocks(o[key])) yield return block;
                }
                break;
        }
    }

    /// <summary>Card Markdown without its marks: "**Bold** [link](url)" → "Bold link".</summary>
    private static string PlainText(string markdown) =>
        InlineMarks().Replace(markdown, m => m.Groups["text"].Success ? m.Groups["text"].Value
            : m.Groups["bold"].Success ? m.Groups["bold"].Value
            : m.Groups["italic"].Success ? m.Groups["italic"].Value
            : m.Groups["star"].Value);

    /// <summary>HTML-encodes text and attribute values (the five characters that matter; the rest stays UTF-8).</summary>
    internal static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// The Markdown Adaptive Cards support in TextBlocks (bold, italic, links, bulleted and numbered lists, line
    /// breaks), as HTML. Everything else is text: raw HTML in a plan text is shown, never interpreted.
    /// </summary>
    internal static string Markdown(string text, string style)
    {
        var html = new StringBuilder();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var paragraph = new List<string>();
        string? listTag = null;
        string Gap() => html.Length == 0 ? "0" : "8px 0 0 0";
        void Flush()
        {
            if (paragraph.Count > 0)
            {
                var gap = Gap();
                html.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:{gap};{style}\">{string.Join("<br>", paragraph.Select(Inline))}</p>");
                paragraph.Clear();
            }
            if (listTag is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $"</{listTag}>");
                listTag = null;
            }
        }
        foreach (var line in lines)
        {
            var item = ListItem().Match(line);
            if (item.Success)
            {
                var tag = item.Groups["number"].Success ? "ol" : "ul";
                if (listTag != tag)
                {
                    Flush();
                    listTag = tag;
                    var gap = Gap();
                    html.Append(CultureInfo.InvariantCulture, $"<{tag} style=\"margin:{gap};padding-left:24px;{style}\">");
                }
                html.Append(CultureInfo.InvariantCulture, $"<li style=\"margin:0 0 2px 0;\">{Inline(item.Groups["text"].Value)}</li>");
            }
            else if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
            }
            else
            {
                if (listTag is not null) Flush();
                paragraph.Add(line);
            }
        }
        Flush();
        return html.ToString();
    }

    /// <summary>Bold, italic and links of one line; link targets other than http(s), mailto and tel stay text.</summary>
    internal static string Inline(string text)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in InlineMarks().Matches(text))
        {
            html.Append(Encode(text[at..m.Index]));
            if (m.Groups["text"].Success)
            {
                var url = m.Groups["url"].Value;
                html.Append(IsSafeUrl(url)
                    ? $"<a href=\"{Encode(url)}\" style=\"color:{LinkColor};text-decoration:underline;\">{Inline(m.Groups["text"].Value)}</a>"
                    : Inline(m.Groups["text"].Value));
            }
            else if (m.Groups["bold"].Success)
            {
                html.Append("<strong>").Append(Inline(m.Groups["bold"].Value)).Append("</strong>");
            }
            else
            {
                html.Append("<em>").Append(Inline(m.Groups[m.Groups["italic"].Success ? "italic" : "star"].Value)).Append("</em>");
            }
            at = m.Index + m.Length;
        }
        html.Append(Encode(text[at..]));
        return html.ToString();
    }

    internal static bool IsSafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "mailto" or "tel";

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)|\*\*(?<bold>.+?)\*\*|(?<![\p{L}\p{N}_])_(?<italic>[^_]+?)_(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}*])\*(?<star>[^*\s][^*]*?)\*(?![\p{L}\p{N}*])")]
    private static partial Regex InlineMarks();

    [GeneratedRegex(@"^\s{0,3}(?:[-*]|(?<number>\d{1,3})\.)\s+(?<text>\S.*)$")]
    private static partial Regex ListItem();

    /// <summary>Writes one card as an HTML document; remembers whether the Teams link replaced the card's inputs already.</summary>
    private sealed class Writer(string language, string teamsLink, string rollout)
    {
        private readonly StringBuilder _html = new();
        private bool _teamsLinkShown;

        public string Document(JsonObject card, string subject)
        {
            _html.Append(CultureInfo.InvariantCulture, $"""
                <!DOCTYPE html>
                <html lang="{language}">
                <head>
                <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{Encode(subject)}</title>
                </head>
                <body style="margin:0;padding:0;background-color:#f5f5f5;">
                <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f5f5f5" style="background-color:#f5f5f5;">
                <tr><td align="center" style="padding:24px 12px;">
                <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e0e0e0;">
                <tr><td style="padding:24px;{Font}font-size:14px;line-height:20px;color:{TextColor};">

                """);
            Items(card["body"] as JsonArray);
            if (card["actions"] is JsonArray { Count: > 0 } actions)
            {
                _html.Append("<div style=\"height:16px;line-height:16px;font-size:1px;\">&nbsp;</div>");
                Actions(actions);
            }
            _html.Append("""

                </td></tr>
                </table>
                </td></tr>
                </table>
                </body>
                </html>

                """);
            return _html.ToString();
        }

        private void Items(JsonArray? items)
        {
            if (items is null || items.Count == 0) return;
            _html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
            var first = true;
            foreach (var node in items)
            {
                if (node is not JsonObject element) continue;
                var start = _html.Length;
                _html.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding-top:{(first ? 0 : Spacing(element))}px;\">");
                var before = _html.Length;
                Element(element);
                if (_html.Length == before)
                {
                    _html.Length = start; // nothing an e-mail can show (a toggle-only action set, an input already replaced)
                    continue;
                }
                _html.Append("</td></tr>");
                first = false;
            }
            _html.Append("</table>");
        }

        private static int Spacing(JsonObject element) => (CardViews.Str(element["spacing"]) ?? "Default").ToLowerInvariant() switch
        {
            "none" => 0,
            "small" => 4,
            "medium" => 16,
            "large" => 24,
            "extralarge" => 32,
            "padding" => 16,
            _ => 8,
        } + (element["separator"] is JsonValue s && s.TryGetValue<bool>(out var separator) && separator ? 8 : 0);

        private void Element(JsonObject element)
        {
            var type = CardViews.Str(element["type"]) ?? "";
            if (type.StartsWith("Input.", StringComparison.Ordinal))
            {
                TeamsLink();
                return;
            }
            switch (type)
            {
                case "TextBlock": TextBlock(element); break;
                case "RichTextBlock": RichTextBlock(element); break;
                case "FactSet": FactSet(element); break;
                case "Image": Image(element); break;
                case "ImageSet":
                    foreach (var image in (element["images"] as JsonArray ?? []).OfType<JsonObject>()) Image(image);
                    break;
                case "ColumnSet": ColumnSet(element); break;
                case "Container": Container(element["items"] as JsonArray, CardViews.Str(element["style"])); break;
                case "Table": Table(element); break;
                case "ActionSet": Actions(element["actions"] as JsonArray ?? []); break;
                default:
                    if (element["fallback"] is JsonObject fallback) Element(fallback);
                    break;
            }
        }

        private static string TextStyle(JsonObject block)
        {
            var size = (CardViews.Str(block["size"]) ?? "default").ToLowerInvariant() switch
            {
                "small" => "font-size:12px;line-height:16px;",
                "medium" => "font-size:16px;line-height:22px;",
                "large" => "font-size:20px;line-height:26px;",
                "extralarge" => "font-size:24px;line-height:30px;",
                _ => "font-size:14px;line-height:20px;",
            };
            var weight = (CardViews.Str(block["weight"]) ?? "").ToLowerInvariant() switch
            {
                "bolder" => "font-weight:700;",
                "lighter" => "font-weight:300;",
                _ => "font-weight:400;",
            };
            var color = (CardViews.Str(block["color"]) ?? "").ToLowerInvariant() switch
            {
                "good" => "#0e700e",
                "attention" => "#c50f1f",
                "warning" => "#835b00",
                "accent" => LinkColor,
                _ when block["isSubtle"] is JsonValue v && v.TryGetValue<bool>(out var subtle) && subtle => SubtleColor,
                _ => TextColor,
            };
            return $"{Font}{size}{weight}color:{color};";
        }

        private void TextBlock(JsonObject block)
        {
            var text = CardViews.Str(block["text"]);
            if (string.IsNullOrWhiteSpace(text)) return;
            var style = TextStyle(block);
            var size = (CardViews.Str(block["size"]) ?? "").ToLowerInvariant();
            var heading = string.Equals(CardViews.Str(block["style"]), "heading", StringComparison.OrdinalIgnoreCase);
            if (size is "large" or "extralarge")
            {
                _html.Append(CultureInfo.InvariantCulture, $"<h1 style=\"margin:0;{style}\">{Inline(text)}</h1>");
            }
            else if (heading)
            {
                _html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"margin:0;{style}\">{Inline(text)}</h2>");
            }
            else
            {
                _html.Append(Markdown(text, style));
            }
        }

        private void RichTextBlock(JsonObject block)
        {
            _html.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0;{TextStyle(block)}\">");
            foreach (var inline in block["inlines"] as JsonArray ?? [])
            {
                var run = inline as JsonObject;
                var text = run is null ? CardViews.Str(inline) : CardViews.Str(run["text"]);
                if (string.IsNullOrEmpty(text)) continue;
                var style = new StringBuilder();
                if (run is not null)
                {
                    if (CardViews.Str(run["weight"]) is "Bolder" or "bolder") style.Append("font-weight:700;");
                    if (run["italic"] is JsonValue i && i.TryGetValue<bool>(out var italic) && italic) style.Append("font-style:italic;");
                    if (run["strikethrough"] is JsonValue s && s.TryGetValue<bool>(out var strike) && strike) style.Append("text-decoration:line-through;");
                    if (run["underline"] is JsonValue u && u.TryGetValue<bool>(out var underline) && underline) style.Append("text-decoration:underline;");
                    if (run["isSubtle"] is JsonValue sub && sub.TryGetValue<bool>(out var subtle) && subtle) style.Append(CultureInfo.InvariantCulture, $"color:{SubtleColor};");
                }
                var url = run?["selectAction"] is JsonObject action && CardViews.Str(action["type"]) == "Action.OpenUrl" ? CardViews.Str(action["url"]) : null;
                var span = $"<span style=\"{style}\">{Encode(text)}</span>";
                _html.Append(IsSafeUrl(url) ? $"<a href=\"{Encode(url)}\" style=\"color:{LinkColor};text-decoration:underline;\">{span}</a>" : span);
            }
            _html.Append("</p>");
        }

        private void FactSet(JsonObject set)
        {
            var facts = (set["facts"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (facts.Count == 0) return;
            _html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
            foreach (var fact in facts)
            {
                _html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td valign=\"top\" style=\"padding:2px 16px 2px 0;vertical-align:top;{Font}font-size:14px;line-height:20px;font-weight:700;color:{TextColor};\">{Inline(CardViews.Str(fact["title"]) ?? "")}</td>");
                _html.Append(CultureInfo.InvariantCulture,
                    $"<td valign=\"top\" style=\"padding:2px 0;vertical-align:top;{Font}font-size:14px;line-height:20px;color:{TextColor};\">{Inline(CardViews.Str(fact["value"]) ?? "")}</td></tr>");
            }
            _html.Append("</table>");
        }

        private void Image(JsonObject image)
        {
            var url = CardViews.Str(image["url"]);
            var alt = CardViews.Str(image["altText"]) ?? "";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                if (alt.Length > 0) _html.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0;{Font}color:{SubtleColor};\">{Encode(alt)}</p>");
                return;
            }
            var width = (CardViews.Str(image["size"]) ?? "").ToLowerInvariant() switch
            {
                "small" => 40,
                "medium" => 80,
                "large" => 160,
                _ => int.TryParse(CardViews.Str(image["width"])?.Replace("px", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var px) ? Math.Min(px, 552) : 0,
            };
            var size = width > 0 ? $" width=\"{width}\"" : "";
            _html.Append(CultureInfo.InvariantCulture,
                $"<img src=\"{Encode(url)}\" alt=\"{Encode(alt)}\"{size} style=\"display:block;border:0;outline:none;max-width:100%;height:auto;\">");
        }

        private void ColumnSet(JsonObject set)
        {
            var columns = (set["columns"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (columns.Count == 0) return;
            var weights = columns.Select(c => double.TryParse(CardViews.Str(c["width"]), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : 0).ToList();
            var total = weights.Sum();
            _html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>");
            for (var i = 0; i < columns.Count; i++)
            {
                var width = (CardViews.Str(columns[i]["width"]) ?? "stretch").ToLowerInvariant() switch
                {
                    "auto" => " width=\"1%\" nowrap",
                    var px when px.EndsWith("px", StringComparison.Ordinal) => $" width=\"{Encode(px[..^2])}\"",
                    _ when weights[i] > 0 && total > 0 => $" width=\"{Math.Round(100 * weights[i] / total).ToString(CultureInfo.InvariantCulture)}%\"",
                    _ => "",
                };
                _html.Append(CultureInfo.InvariantCulture, $"<td valign=\"top\"{width} style=\"vertical-align:top;padding-left:{(i == 0 ? 0 : 12)}px;\">");
                Items(columns[i]["items"] as JsonArray);
                _html.Append("</td>");
            }
            _html.Append("</tr></table>");
        }

        private void Container(JsonArray? items, string? style)
        {
            var background = (style ?? "").ToLowerInvariant() switch
            {
                "emphasis" => "#f0f0f0",
                "good" => "#e9f5e9",
                "attention" => "#fdeced",
                "warning" => "#fff8e5",
                "accent" => "#ebeefa",
                _ => null,
            };
            if (background is null)
            {
                Items(items);
                return;
            }
            _html.Append(CultureInfo.InvariantCulture,
                $"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" bgcolor=\"{background}\" style=\"background-color:{background};\"><tr><td style=\"padding:12px 16px;\">");
            Items(items);
            _html.Append("</td></tr></table>");
        }

        private void Table(JsonObject table)
        {
            var rows = (table["rows"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (rows.Count == 0) return;
            var headerRow = !(table["firstRowAsHeader"] is JsonValue h && h.TryGetValue<bool>(out var header) && !header);
            _html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;\">");
            for (var r = 0; r < rows.Count; r++)
            {
                _html.Append("<tr>");
                foreach (var cell in (rows[r]["cells"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var bold = r == 0 && headerRow ? "font-weight:700;" : "";
                    _html.Append(CultureInfo.InvariantCulture, $"<td valign=\"top\" style=\"vertical-align:top;padding:4px 8px;border-bottom:1px solid #e0e0e0;{bold}\">");
                    Items(cell["items"] as JsonArray);
                    _html.Append("</td>");
                }
                _html.Append("</tr>");
            }
            _html.Append("</table>");
        }

        private void Actions(JsonArray actions)
        {
            var buttons = new List<(string Title, string Url, bool Primary)>();
            foreach (var action in actions.OfType<JsonObject>())
            {
                switch (CardViews.Str(action["type"]))
                {
                    case "Action.OpenUrl" when IsSafeUrl(CardViews.Str(action["url"])):
                        buttons.Add((CardViews.Str(action["title"]) ?? CardViews.Str(action["url"])!, CardViews.Str(action["url"])!,
                            string.Equals(CardViews.Str(action["style"]), "positive", StringComparison.OrdinalIgnoreCase)));
                        break;
                    case "Action.ShowCard" when action["card"] is JsonObject shown:
                        // An e-mail cannot expand on click: the card is shown open, under the button's title.
                        Buttons(buttons);
                        buttons.Clear();
                        _html.Append(CultureInfo.InvariantCulture,
                            $"<h2 style=\"margin:8px 0 4px 0;{Font}font-size:14px;line-height:20px;font-weight:700;color:{TextColor};\">{Encode(CardViews.Str(action["title"]))}</h2>");
                        Items(shown["body"] as JsonArray);
                        if (shown["actions"] is JsonArray inner) Actions(inner);
                        break;
                    case "Action.Execute" or "Action.Submit":
                        Buttons(buttons);
                        buttons.Clear();
                        TeamsLink();
                        break;
                    // Action.ToggleVisibility: every element it would show is shown already.
                }
            }
            Buttons(buttons);
        }

        private void Buttons(List<(string Title, string Url, bool Primary)> buttons)
        {
            if (buttons.Count == 0) return;
            _html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>");
            foreach (var (title, url, primary) in buttons)
            {
                var (background, color, border) = primary ? (ButtonColor, "#ffffff", ButtonColor) : ("#ffffff", TextColor, "#d1d1d1");
                _html.Append(
                    $"<td style=\"padding:0 8px 8px 0;\"><table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>"
                    + $"<td bgcolor=\"{background}\" style=\"background-color:{background};border:1px solid {border};border-radius:4px;\">"
                    + $"<a href=\"{Encode(url)}\" target=\"_blank\" style=\"display:inline-block;padding:7px 16px;{Font}font-size:14px;line-height:20px;font-weight:600;color:{color};text-decoration:none;\">{Encode(title)}</a>"
                    + "</td></tr></table></td>");
            }
            _html.Append("</tr></table>");
        }

        /// <summary>Once per e-mail, where the card asks for input: e-mail cannot carry Universal Actions, Teams can.</summary>
        private void TeamsLink()
        {
            if (_teamsLinkShown) return;
            _teamsLinkShown = true;
            var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["rollout"] = rollout };
            _html.Append(CultureInfo.InvariantCulture, $"<p style=\"margin:0 0 12px 0;{Font}font-size:14px;line-height:20px;color:{TextColor};\">{Inline(CardStrings.Text(language, "email.surveyText", values))}</p>");
            Buttons([(CardStrings.Text(language, "email.surveyButton", values), teamsLink, true)]);
        }
    }
}

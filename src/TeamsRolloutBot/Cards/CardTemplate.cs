using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// Expands an Adaptive Card template with data, implementing the part of Adaptive Cards Templating we use:
/// <c>${...}</c> expressions (property paths, a few operators and functions), string interpolation,
/// <c>$data</c> (an array repeats the element), <c>$when</c>, <c>$root</c> and <c>$index</c>.
/// As in the npm engine, an expression whose value is missing stays in the output as <c>${path}</c>,
/// which the card tests catch.
/// </summary>
public static class CardTemplate
{
    // Templates are few and fixed, so their parsed strings are kept; this bounds the cache for data-driven strings.
    private const int MaxCachedStrings = 10_000;
    private static readonly ConcurrentDictionary<string, List<TemplatePart>> ParsedStrings = new(StringComparer.Ordinal);
    private static readonly HashSet<string> ReservedFields = ["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"];

    /// <summary>Expands <paramref name="template"/> with <paramref name="data"/> as <c>$root</c>; the template is not changed.</summary>
    public static JsonNode? Expand(JsonNode template, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(template);
        var scope = new CardExpression.Scope(data, data, null);
        return ExpandNode(template, scope) switch
        {
            List<JsonNode?> many => new JsonArray([.. many]),
            var one => (JsonNode?)one,
        };
    }

    /// <summary>Returns a JsonNode, null (dropped), or a List of JsonNode (an element repeated by an array $data).</summary>
    private static object? ExpandNode(JsonNode? node, CardExpression.Scope scope)
    {
        switch (node)
        {
            case JsonArray array:
            {
                var result = new JsonArray();
                foreach (var item in array)
                {
                    switch (ExpandNode(item, scope))
                    {
                        case null: break;
                        case List<JsonNode?> many:
                            foreach (var m in many) result.Add(m);
                            break;
                        case JsonNode one: result.Add(one); break;
                    }
                }
                return result;
            }
            case JsonObject obj:
                return ExpandObject(obj, scope);
            case JsonValue value when value.TryGetValue<string>(out var text):
                return ExpandString(text, scope);
            default:
                return node?.DeepClone();
        }
    }

    private static object? ExpandObject(JsonObject obj, CardExpression.Scope scope)
    {
        List<(JsonNode? Data, int? Index)> contexts;
        if (!obj.TryGetPropertyValue("$data", out var dataSpec))
        {
            contexts = [(scope.Data, scope.Index)];
        }
        else
        {
            var dataValue = dataSpec is JsonValue v && v.TryGetValue<string>(out var dataText)
                ? ToNodeOrText(EvaluateTemplateString(dataText, scope))
                : dataSpec?.DeepClone();
            contexts = dataValue is JsonArray items
                ? [.. items.Select((item, i) => (item, (int?)i))]
                : [(dataValue, scope.Index)];
        }

        var results = new List<JsonNode?>();
        foreach (var (data, index) in contexts)
        {
            var inner = scope with { Data = data, Index = index };
            if (obj.TryGetPropertyValue("$when", out var whenSpec) && !IsWhenTrue(whenSpec, inner)) continue;
            var expanded = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (ReservedFields.Contains(key)) continue;
                expanded[key] = ExpandNode(value, inner) switch
                {
                    List<JsonNode?> many => new JsonArray([.. many]),
                    var one => (JsonNode?)one,
                };
            }
            results.Add(expanded);
        }
        return results.Count switch
        {
            0 => null,
            1 => results[0],
            _ => results,
        };
    }

    private static bool IsWhenTrue(JsonNode? whenSpec, CardExpression.Scope scope)
    {
        if (whenSpec is JsonValue v && v.TryGetValue<string>(out var text) && text.Contains("${", StringComparison.Ordinal))
        {
            var parts = Split(text);
            if (parts is not [TemplatePart.Expr single]) return false;
            try
            {
                return single.Expression.Evaluate(scope) is true;
            }
            catch (CardExpression.ExpressionException)
            {
                return false;
            }
        }
        // A $when that is not an expression drops the element when it is truthy, like the npm engine does.
        return whenSpec is null || (whenSpec is JsonValue b && b.TryGetValue<bool>(out var flag) && !flag)
            || (whenSpec is JsonValue s && s.TryGetValue<string>(out var str) && str.Length == 0);
    }

    private static object? ExpandString(string text, CardExpression.Scope scope)
    {
        if (!text.Contains("${", StringComparison.Ordinal)) return JsonValue.Create(text);
        return ToNodeOrText(EvaluateTemplateString(text, scope));
    }

    private static JsonNode? ToNodeOrText(object? value) => CardExpression.ToNode(value);

    /// <summary>A string that is exactly one expression keeps the expression's type; anything else becomes text.</summary>
    private static object? EvaluateTemplateString(string text, CardExpression.Scope scope)
    {
        var parts = Split(text);
        if (parts is [TemplatePart.Expr single])
        {
            object? value;
            try
            {
                value = single.Expression.Evaluate(scope);
            }
            catch (CardExpression.ExpressionException e)
            {
                throw new CardTemplateException($"cannot evaluate '${{{single.Expression}}}': {e.Message}");
            }
            return value is CardExpression.UndefinedValue ? "${" + single.Expression + "}" : value;
        }
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case TemplatePart.Text t: sb.Append(t.Value); break;
                case TemplatePart.Expr e:
                    object? value;
                    try
                    {
                        value = e.Expression.Evaluate(scope);
                    }
                    catch (CardExpression.ExpressionException)
                    {
                        value = CardExpression.UndefinedValue.Instance;
                    }
                    sb.Append(value is CardExpression.UndefinedValue ? "${" + e.Expression + "}" : CardExpression.ToText(value));
                    break;
            }
        }
        return sb.ToString();
    }

    private abstract record TemplatePart
    {
        public sealed record Text(string Value) : TemplatePart;
        public sealed record Expr(CardExpression Expression) : TemplatePart;
    }

    private static List<TemplatePart> Split(string text)
    {
        if (ParsedStrings.TryGetValue(text, out var cached)) return cached;
        var parts = Parse(text);
        if (ParsedStrings.Count < MaxCachedStrings) ParsedStrings.TryAdd(text, parts);
        return parts;
    }

    private static List<TemplatePart> Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = FindClose(text, i + 2);
                if (literal.Length > 0)
                {
                    parts.Add(new TemplatePart.Text(literal.ToString()));
                    literal.Clear();
                }
                var source = text[(i + 2)..end];
                try
                {
                    parts.Add(new TemplatePart.Expr(CardExpression.Parse(source)));
                }
                catch (CardExpression.ExpressionException e)
                {
                    throw new CardTemplateException($"cannot parse '${{{source}}}': {e.Message}");
                }
                i = end + 1;
            }
            else
            {
                literal.Append(text[i++]);
            }
        }
        if (literal.Length > 0) parts.Add(new TemplatePart.Text(literal.ToString()));
        return parts;
    }

    private static int FindClose(string text, int start)
    {
        var depth = 0;
        char? quote = null;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\') i++;
                else if (c == quote) quote = null;
            }
            else if (c is '\'' or '"') quote = c;
            else if (c == '{') depth++;
            else if (c == '}')
            {
                if (depth == 0) return i;
                depth--;
            }
        }
        throw new CardTemplateException($"'${{' without a closing '}}' in \"{text}\"");
    }
}

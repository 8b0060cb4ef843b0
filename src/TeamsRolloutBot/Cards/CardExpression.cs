// Over 400 lines on purpose: the tokenizer, parser and evaluator of one small expression language, kept together so the
// differential test against adaptivecards-templating covers one unit.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TeamsRolloutBot.Cards;

/// <summary>
/// The subset of the Adaptive Expressions language our templates use: property paths ($root, $data, $index),
/// literals, ! && || == != &lt; &lt;= &gt; &gt;= + - * /, and the functions if, not, and, or, equals, empty, count,
/// length, join, string. Semantics follow the npm package adaptivecards-templating (checked by a differential test).
/// </summary>
internal abstract class CardExpression
{
    /// <summary>Marks a value that does not exist (a missing property), as distinct from JSON null.</summary>
    internal sealed class UndefinedValue
    {
        public static readonly UndefinedValue Instance = new();
        private UndefinedValue() { }
    }

    /// <summary>Evaluation scope: the template's data root, the current $data and $index.</summary>
    internal sealed record Scope(JsonNode? Root, JsonNode? Data, int? Index);

    /// <summary>Thrown for an expression the subset cannot parse or evaluate; names the expression text.</summary>
    internal sealed class ExpressionException(string message) : Exception(message);

    public abstract object? Evaluate(Scope scope);

    public abstract override string ToString();

    public static CardExpression Parse(string text) => new Parser(text).ParseAll();

    // Values are: UndefinedValue, null, bool, double, string, JsonArray, JsonObject.
    internal static object? FromNode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject or JsonArray => (object)node,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => NumberOf(v),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };

    /// <summary>A JSON number as double, whatever CLR type the JsonValue was created from (int, long, decimal, ...).</summary>
    internal static double NumberOf(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    internal static JsonNode? ToNode(object? value) => value switch
    {
        null or UndefinedValue => null,
        bool b => JsonValue.Create(b),
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => JsonValue.Create((long)d),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        JsonNode n => n.DeepClone(),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>JavaScript's toString, which the npm engine uses when it concatenates an interpolated string.</summary>
    internal static string ToText(object? value) => value switch
    {
        null => "null",
        UndefinedValue => "undefined",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        JsonArray a => string.Join(",", a.Select(n => n is null ? "" : ToText(FromNode(n)))),
        JsonObject => "[object Object]",
        _ => value.ToString() ?? "",
    };

    private static bool IsTruthy(object? value) => value switch
    {
        null or UndefinedValue => false,
        bool b => b,
        _ => true,
    };

    private static bool IsEmpty(object? value) => value switch
    {
        null or UndefinedValue => true,
        string s => s.Length == 0,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        _ => false,
    };

    private static bool AreEqual(object? a, object? b)
    {
        if (a is UndefinedValue) a = null;
        if (b is UndefinedValue) b = null;
        return (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (double x, double y) => x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (bool x, bool y) => x == y,
            (JsonNode x, JsonNode y) => JsonNode.DeepEquals(x, y),
            _ => false,
        };
    }

    private sealed class Literal(object? value, string text) : CardExpression
    {
        public object? Value { get; } = value;
        public override object? Evaluate(Scope scope) => Value;
        public override string ToString() => text;
    }

    /// <summary>A property path: a root identifier followed by .name and [index] accessors.</summary>
    internal sealed class PathExpression(string rootName, IReadOnlyList<CardExpression> accessors, string text) : CardExpression
    {
        public override object? Evaluate(Scope scope)
        {
            JsonNode? current;
            object? value;
            switch (rootName)
            {
                case "$root": value = FromNode(scope.Root); current = scope.Root; break;
                case "$data": value = FromNode(scope.Data); current = scope.Data; break;
                case "$index": return scope.Index is int i ? (double)i : UndefinedValue.Instance;
                default:
                    if (scope.Data is not JsonObject o || !o.TryGetPropertyValue(rootName, out current))
                        return UndefinedValue.Instance;
                    value = FromNode(current);
                    break;
            }
            foreach (var accessor in accessors)
            {
                var key = accessor.Evaluate(scope);
                switch (current, key)
                {
                    case (JsonObject obj, string name):
                        if (!obj.TryGetPropertyValue(name, out current)) return UndefinedValue.Instance;
                        break;
                    case (JsonArray arr, double index):
                        var n = (int)index;
                        if (n < 0 || n >= arr.Count) return UndefinedValue.Instance;
                        current = arr[n];
                        break;
                    default:
                        return UndefinedValue.Instance;
                }
                value = FromNode(current);
            }
            return value;
        }

        public override string ToString() => text;
    }

    private sealed class Unary(string op, CardExpression operand, string text) : CardExpression
    {
        public override object? Evaluate(Scope scope)
        {
            var v = operand.Evaluate(scope);
            return op switch
            {
                "!" => !IsTruthy(v),
                "-" when v is double d => -d,
                _ => throw new ExpressionException($"operator '{op}' cannot apply to {ToText(v)} in '{text}'"),
            };
        }

        public override string ToString() => text;
    }

    private sealed class Binary(string op, CardExpression left, CardExpression right, string text) : CardExpression
    {
        public override object? Evaluate(Scope scope)
        {
            if (op == "&&") return IsTruthy(left.Evaluate(scope)) && IsTruthy(right.Evaluate(scope));
            if (op == "||") return IsTruthy(left.Evaluate(scope)) || IsTruthy(right.Evaluate(scope));
            var a = left.Evaluate(scope);
            var b = right.Evaluate(scope);
            return op switch
            {
                "==" => AreEqual(a, b),
                "!=" => !AreEqual(a, b),
                "+" when a is double x && b is double y => x + y,
                "+" when a is string || b is string => ToText(a) + ToText(b),
                "-" when a is double x && b is double y => x - y,
                "*" when a is double x && b is double y => x * y,
                "/" when a is double x && b is double y && y != 0 => x / y,
                "<" when a is double x && b is double y => x < y,
                "<=" when a is double x && b is double y => x <= y,
                ">" when a is double x && b is double y => x > y,
                ">=" when a is double x && b is double y => x >= y,
                _ => throw new ExpressionException($"operator '{op}' cannot apply to {ToText(a)} and {ToText(b)} in '{text}'"),
            };
        }

        public override string ToString() => text;
    }

    private sealed class Call(string name, IReadOnlyList<CardExpression> args, string text) : CardExpression
    {
        public override object? Evaluate(Scope scope)
        {
            object? Arg(int i) => args[i].Evaluate(scope);
            return (name, args.Count) switch
            {
                ("if", 3) => IsTruthy(Arg(0)) ? Arg(1) : Arg(2),
                ("not", 1) => !IsTruthy(Arg(0)),
                ("and", >= 1) => args.All(a => IsTruthy(a.Evaluate(scope))),
                ("or", >= 1) => args.Any(a => IsTruthy(a.Evaluate(scope))),
                ("equals", 2) => AreEqual(Arg(0), Arg(1)),
                ("empty", 1) => IsEmpty(Arg(0)),
                ("count", 1) or ("length", 1) => Arg(0) switch
                {
                    JsonArray a => (double)a.Count,
                    string s => (double)s.Length,
                    var v => throw new ExpressionException($"{name}() needs a list or text, got {ToText(v)} in '{text}'"),
                },
                ("join", 2) => Arg(0) is JsonArray list
                    ? string.Join(ToText(Arg(1)), list.Select(n => ToText(FromNode(n))))
                    : throw new ExpressionException($"join() needs a list in '{text}'"),
                ("string", 1) => ToText(Arg(0)),
                _ => throw new ExpressionException($"unknown function {name}() with {args.Count} arguments in '{text}'"),
            };
        }

        public override string ToString() => text;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public CardExpression ParseAll()
        {
            var e = ParseOr();
            SkipSpace();
            if (_pos != text.Length) throw Error("unexpected text");
            return e;
        }

        private ExpressionException Error(string what) =>
            new($"{what} at position {_pos + 1} of expression '{text}'");

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private bool Take(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, token, 0, token.Length) != 0) return false;
            // "=" must not be read as the start of "==" and "!" not as "!=".
            if (token is "!" or "<" or ">" && _pos + 1 < text.Length && text[_pos + 1] == '=') return false;
            _pos += token.Length;
            return true;
        }

        private string Slice(int start) => text[start.._pos].Trim();

        private CardExpression ParseOr()
        {
            var start = _pos;
            var left = ParseAnd();
            while (Take("||")) left = new Binary("||", left, ParseAnd(), Slice(start));
            return left;
        }

        private CardExpression ParseAnd()
        {
            var start = _pos;
            var left = ParseEquality();
            while (Take("&&")) left = new Binary("&&", left, ParseEquality(), Slice(start));
            return left;
        }

        private CardExpression ParseEquality()
        {
            var start = _pos;
            var left = ParseRelational();
            while (true)
            {
                if (Take("==")) left = new Binary("==", left, ParseRelational(), Slice(start));
                else if (Take("!=")) left = new Binary("!=", left, ParseRelational(), Slice(start));
                else return left;
            }
        }

        private CardExpression ParseRelational()
        {
            var start = _pos;
            var left = ParseAdditive();
            while (true)
            {
                string? op = Take("<=") ? "<=" : Take(">=") ? ">=" : Take("<") ? "<" : Take(">") ? ">" : null;
                if (op is null) return left;
                left = new Binary(op, left, ParseAdditive(), Slice(start));
            }
        }

        private CardExpression ParseAdditive()
        {
            var start = _pos;
            var left = ParseMultiplicative();
            while (true)
            {
                string? op = Take("+") ? "+" : Take("-") ? "-" : null;
                if (op is null) return left;
                left = new Binary(op, left, ParseMultiplicative(), Slice(start));
            }
        }

        private CardExpression ParseMultiplicative()
        {
            var start = _pos;
            var left = ParseUnary();
            while (true)
            {
                string? op = Take("*") ? "*" : Take("/") ? "/" : null;
                if (op is null) return left;
                left = new Binary(op, left, ParseUnary(), Slice(start));
            }
        }

        private CardExpression ParseUnary()
        {
            var start = _pos;
            if (Take("!")) return new Unary("!", ParseUnary(), Slice(start));
            if (Take("-")) return new Unary("-", ParseUnary(), Slice(start));
            return ParsePrimary();
        }

        private CardExpression ParsePrimary()
        {
            SkipSpace();
            var start = _pos;
            if (_pos >= text.Length) throw Error("expression ends too early");
            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseOr();
                if (!Take(")")) throw Error("missing ')'");
                return inner;
            }
            if (c is '\'' or '"')
            {
                _pos++;
                var sb = new StringBuilder();
                while (_pos < text.Length && text[_pos] != c)
                {
                    if (text[_pos] == '\\' && _pos + 1 < text.Length) _pos++;
                    sb.Append(text[_pos++]);
                }
                if (_pos >= text.Length) throw Error("unterminated text literal");
                _pos++;
                return new Literal(sb.ToString(), Slice(start));
            }
            if (char.IsDigit(c))
            {
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.')) _pos++;
                return new Literal(double.Parse(text[start.._pos], CultureInfo.InvariantCulture), Slice(start));
            }
            var name = ReadIdentifier() ?? throw Error($"unexpected '{c}'");
            switch (name)
            {
                case "true": return new Literal(true, name);
                case "false": return new Literal(false, name);
                case "null": return new Literal(null, name);
            }
            if (Take("("))
            {
                var args = new List<CardExpression>();
                if (!Take(")"))
                {
                    do args.Add(ParseOr()); while (Take(","));
                    if (!Take(")")) throw Error("missing ')' after arguments");
                }
                return new Call(name, args, Slice(start));
            }
            var accessors = new List<CardExpression>();
            while (true)
            {
                if (_pos < text.Length && text[_pos] == '.')
                {
                    _pos++;
                    var member = ReadIdentifier() ?? throw Error("missing property name after '.'");
                    accessors.Add(new Literal(member, member));
                }
                else if (_pos < text.Length && text[_pos] == '[')
                {
                    _pos++;
                    accessors.Add(ParseOr());
                    if (!Take("]")) throw Error("missing ']'");
                }
                else break;
            }
            return new PathExpression(name, accessors, Slice(start));
        }

        private string? ReadIdentifier()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '$' or '@')) _pos++;
            return _pos > start ? text[start.._pos] : null;
        }
    }
}

using System.Text;

namespace TeamsRolloutBot.Commands;

/// <summary>
/// RFC 4180 CSV for the exports: CRLF line ends, fields quoted when needed, UTF-8 with a byte order mark so Excel reads
/// accented letters. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading apostrophe.
/// </summary>
public static class Csv
{
    public static byte[] Write(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, headers);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(Field(cells[i] ?? ""));
        }
        text.Append("\r\n");
    }

    internal static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

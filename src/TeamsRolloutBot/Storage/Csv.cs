using System.Globalization;
using System.Text;
using CsvHelper;

namespace TeamsRolloutBot.Storage;

/// <summary>
/// The exports' file format (deliveries, feedback), written with CsvHelper: RFC 4180 with CRLF line ends, fields quoted
/// when needed, UTF-8 with a byte order mark so Excel reads accented letters. Cells that a spreadsheet would run as a
/// formula (=, +, -, @, tab, CR) get a leading apostrophe.
/// </summary>
public static class Csv
{
    private static readonly CsvWriterOptions Format = new()
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
        InjectionCharacters = "=+-@\t\r",
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>A header row and the data rows, as the bytes of a CSV file; a null cell is an empty field.</summary>
    public static byte[] Write(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var stream = new MemoryStream();
        stream.Write(Encoding.UTF8.Preamble);
        using (var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        using (var csv = CsvWriter.Create(text, Format, false))
        {
            WriteRow(csv, headers);
            foreach (var row in rows)
            {
                WriteRow(csv, row);
            }
        }
        return stream.ToArray();
    }

    private static void WriteRow(CsvWriter csv, IReadOnlyList<string?> cells)
    {
        foreach (var cell in cells)
        {
            csv.WriteField(cell ?? "");
        }
        csv.EndRecord();
    }
}

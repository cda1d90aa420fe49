namespace VoicePlatform.Cli.Output;

/// <summary>A plain-text table: a header row, then rows, columns padded to their widest cell.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int RowCount => _rows.Count;

    public Table Add(params string?[] cells)
    {
        _rows.Add([.. cells.Select(c => c ?? "")]);
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        writer.WriteLine(Format(headers, widths));
        foreach (var row in _rows) writer.WriteLine(Format(row, widths));
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", widths.Select((w, i) => (i < cells.Length ? cells[i] : "").PadRight(w))).TrimEnd();
}

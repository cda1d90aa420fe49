using System.Text.Json;

namespace VoicePlatform.Docs.Tests;

/// <summary>The README's and the Realtime guide's model tables name every model the catalog serves.</summary>
public sealed class ModelTableTests
{
    [Theory]
    [InlineData("README.md", "## Models and providers")]
    [InlineData("docs/realtime.md", "## Models")]
    public void Every_catalog_model_is_in_the_model_table(string file, string heading)
    {
        var root = RepositoryRoot.Find();
        var table = TableUnder(File.ReadAllLines(Path.Combine(root, file)), heading);

        var missing = CatalogModelIds(root).Where(id => !table.Contains($"`{id}`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"{file} '{heading}' table lacks: {string.Join(", ", missing)}");
    }

    /// <summary>The catalog's models clients name (the emulator-only loopbacks are left out of the docs).</summary>
    private static IEnumerable<string> CatalogModelIds(string root)
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "src", "ModelCatalog", "models.json")));
        var ids = catalog.RootElement.GetProperty("ModelCatalog").GetProperty("Models").EnumerateArray()
            .Select(m => m.GetProperty("Id").GetString()!)
            .Where(id => !id.EndsWith("-loopback", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(ids);
        return ids;
    }

    /// <summary>The table rows (lines starting with '|') of the section under <paramref name="heading"/>.</summary>
    private static string TableUnder(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"no heading '{heading}'");
        var section = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
        return string.Join('\n', section.Where(l => l.StartsWith('|')));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoicePlatform.Billing.Pricing;

/// <summary>
/// Reads the catalog file (<c>Pricing/prices.json</c>, embedded; an operator may point
/// <c>Billing:PriceCatalogPath</c> at another file). JSON numbers are read as <see cref="decimal"/> from their text,
/// so "0.40" is exactly 0.40. Shape problems throw; semantic checks are <see cref="PriceCatalogValidator"/>'s.
/// </summary>
public static class PriceCatalogFile
{
    private const string EmbeddedName = "VoicePlatform.Billing.Pricing.prices.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static PriceCatalog LoadEmbedded()
    {
        using var stream = typeof(PriceCatalogFile).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"Embedded price catalog {EmbeddedName} is missing");
        return Load(stream, EmbeddedName);
    }

    public static PriceCatalog LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>The embedded catalog's JSON text (tests derive catalogs from it).</summary>
    public static string EmbeddedJson()
    {
        using var stream = typeof(PriceCatalogFile).Assembly.GetManifestResourceStream(EmbeddedName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static PriceCatalog Load(Stream stream, string origin)
    {
        CatalogDocument document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(stream, Options)
                ?? throw new InvalidDataException($"Price catalog {origin} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Price catalog {origin} is not valid JSON: {ex.Message}", ex);
        }

        var versions = new List<PriceVersion>();
        foreach (var model in document.Models ?? [])
        {
            foreach (var version in model.Versions ?? [])
            {
                var prices = version.PerMillionTokens
                    ?? throw new InvalidDataException($"Price catalog {origin}: {model.Model}@{version.Version} has no per_million_tokens");
                versions.Add(new PriceVersion(
                    model.Model ?? "",
                    version.Version ?? "",
                    version.EffectiveFrom ?? throw new InvalidDataException($"Price catalog {origin}: {model.Model}@{version.Version} has no effective_from"),
                    new TokenPrices(
                        Required(prices.InputAudio, "input_audio"), Required(prices.InputText, "input_text"), Required(prices.InputImage, "input_image"),
                        Required(prices.CachedInputAudio, "cached_input_audio"), Required(prices.CachedInputText, "cached_input_text"),
                        Required(prices.CachedInputImage, "cached_input_image"),
                        Required(prices.OutputAudio, "output_audio"), Required(prices.OutputText, "output_text")),
                    version.ConnectionPerMinute ?? 0m,
                    version.Source ?? "",
                    version.Assumptions ?? []));

                decimal Required(decimal? value, string name) =>
                    value ?? throw new InvalidDataException($"Price catalog {origin}: {model.Model}@{version.Version} has no price for {name}");
            }
        }
        return new PriceCatalog(document.CoversFrom ?? throw new InvalidDataException($"Price catalog {origin} has no covers_from"), versions);
    }

    private sealed record CatalogDocument(string? Currency, DateTimeOffset? CoversFrom, List<ModelEntry>? Models);

    private sealed record ModelEntry(string? Model, List<VersionEntry>? Versions);

    private sealed record VersionEntry(
        string? Version, DateTimeOffset? EffectiveFrom, PricesEntry? PerMillionTokens, decimal? ConnectionPerMinute, string? Source, List<string>? Assumptions);

    private sealed record PricesEntry(
        decimal? InputAudio, decimal? InputText, decimal? InputImage,
        decimal? CachedInputAudio, decimal? CachedInputText, decimal? CachedInputImage,
        decimal? OutputAudio, decimal? OutputText);
}

using System.Text;
using Microsoft.Extensions.Configuration;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Billing.Pricing;
using VoicePlatform.ModelCatalog;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests;

/// <summary>The shipped price catalog, its validation, version selection and cost arithmetic (no services needed).</summary>
public class PriceCatalogTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<string> ServedModels()
    {
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("models.json").Build();
        return [.. configuration.GetSection(ModelCatalogOptions.SectionName).Get<ModelCatalogOptions>()!.Models.Select(m => m.Id)];
    }

    private static PriceCatalog Parse(string json) => PriceCatalogFile.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test");

    private static string Version(string version, string effectiveFrom, decimal inputAudio = 1m, decimal perMinute = 0m, string source = "test") => $$"""
        { "version": "{{version}}", "effective_from": "{{effectiveFrom}}", "connection_per_minute": {{perMinute}}, "source": "{{source}}",
          "per_million_tokens": { "input_audio": {{inputAudio}}, "input_text": 1, "input_image": 1, "cached_input_audio": 1,
            "cached_input_text": 1, "cached_input_image": 1, "output_audio": 1, "output_text": 1 } }
        """;

    private static string Catalog(params (string Model, string[] Versions)[] models) =>
        $$"""{ "covers_from": "2025-01-01T00:00:00Z", "models": [ {{string.Join(",", models.Select(m => $$"""{ "model": "{{m.Model}}", "versions": [{{string.Join(",", m.Versions)}}] }"""))}} ] }""";

    [Fact]
    public void The_shipped_catalog_prices_every_served_model_and_passes_validation()
    {
        var catalog = PriceCatalogFile.LoadEmbedded();
        var served = ServedModels();

        Assert.Empty(PriceCatalogValidator.Validate(catalog, served));
        Assert.Superset(served.ToHashSet(), catalog.Models.ToHashSet());
        Assert.All(catalog.Models, m => Assert.All(catalog.VersionsOf(m), v => Assert.False(string.IsNullOrWhiteSpace(v.Source))));
    }

    [Fact]
    public void The_shipped_catalog_has_the_seed_prices_of_the_issue()
    {
        var catalog = PriceCatalogFile.LoadEmbedded();
        var gpt = catalog.Find("gpt-realtime-2", new DateTimeOffset(2026, 12, 7, 23, 59, 59, TimeSpan.Zero))!.PerMillionTokens;
        Assert.Equal((32.00m, 0.40m, 64.00m), (gpt.InputAudio, gpt.CachedInputAudio, gpt.OutputAudio));
        Assert.Equal((4m, 0.40m, 16m, 5m), (gpt.InputText, gpt.CachedInputText, gpt.OutputText, gpt.InputImage));
        var gemini = catalog.Find("gemini-3.1-flash-live", DateTimeOffset.UtcNow)!.PerMillionTokens;
        Assert.Equal((3.00m, 12.00m, 0.50m, 2.00m), (gemini.InputAudio, gemini.OutputAudio, gemini.InputText, gemini.OutputText));
        Assert.All(catalog.VersionsOf("gpt-realtime-2-loopback")[0].PerMillionTokens.All(), p => Assert.Equal(0m, p.Price));
    }

    [Fact]
    public void The_gpt_realtime_2_text_output_correction_applies_from_its_effective_date_only()
    {
        var catalog = PriceCatalogFile.LoadEmbedded();
        var correctedFrom = new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

        var before = catalog.Find("gpt-realtime-2", correctedFrom.AddTicks(-1))!;
        var after = catalog.Find("gpt-realtime-2", correctedFrom)!;

        Assert.Equal(("2025-01-01", 16m), (before.Version, before.PerMillionTokens.OutputText));
        Assert.Equal(("2026-12-08", 24m), (after.Version, after.PerMillionTokens.OutputText));
        Assert.Equal(before.PerMillionTokens.OutputAudio, after.PerMillionTokens.OutputAudio);
    }

    [Fact]
    public void The_version_in_effect_at_the_event_time_is_chosen()
    {
        var catalog = Parse(Catalog(("m", [Version("v1", "2025-01-01T00:00:00Z", 1m), Version("v2", "2030-01-01T00:00:00Z", 2m)])));

        Assert.Null(catalog.Find("m", Start.AddTicks(-1)));
        Assert.Equal("v1", catalog.Find("m", Start)!.Version);
        Assert.Equal("v1", catalog.Find("m", new DateTimeOffset(2029, 12, 31, 23, 59, 59, 999, TimeSpan.Zero))!.Version);
        Assert.Equal("v2", catalog.Find("m", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))!.Version);
        Assert.Equal("v2", catalog.Find("m", new DateTimeOffset(2030, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)))!.Version); // same instant
        Assert.Null(catalog.Find("other", Start));
    }

    [Fact]
    public void A_served_model_without_a_price_fails_validation()
    {
        var catalog = Parse(Catalog(("gpt-realtime-2", [Version("v1", "2025-01-01T00:00:00Z")])));

        var errors = PriceCatalogValidator.Validate(catalog, ["gpt-realtime-2", "gemini-3.1-flash-live"]);

        Assert.Contains(errors, e => e.Contains("'gemini-3.1-flash-live' (models.json) has no price"));
    }

    [Fact]
    public void A_gap_before_a_models_first_version_fails_validation()
    {
        var catalog = Parse(Catalog(("m", [Version("v1", "2025-06-01T00:00:00Z")])));

        Assert.Contains(PriceCatalogValidator.Validate(catalog, ["m"]), e => e.Contains("unpriced from"));
    }

    [Fact]
    public void Duplicate_versions_negative_prices_local_times_and_missing_sources_fail_validation()
    {
        var catalog = Parse(Catalog(("m",
        [
            Version("v1", "2025-01-01T00:00:00Z"),
            Version("v1", "2026-01-01T00:00:00Z", inputAudio: -1m),
            Version("v3", "2026-01-01T00:00:00Z"),
            Version("v4", "2027-01-01T00:00:00+02:00", perMinute: -0.5m, source: ""),
        ])));

        var errors = PriceCatalogValidator.Validate(catalog, ["m"]);

        Assert.Contains(errors, e => e.Contains("version 'v1' more than once"));
        Assert.Contains(errors, e => e.Contains("two versions effective from"));
        Assert.Contains(errors, e => e.Contains("input_audio is negative"));
        Assert.Contains(errors, e => e.Contains("m@v4: effective_from must be in UTC"));
        Assert.Contains(errors, e => e.Contains("m@v4: connection_per_minute is negative"));
        Assert.Contains(errors, e => e.Contains("m@v4: no source cited"));
    }

    [Fact]
    public void A_version_missing_a_price_is_rejected_when_loading()
    {
        var json = Catalog(("m", [Version("v1", "2025-01-01T00:00:00Z").Replace("\"output_text\": 1", "\"other\": 1")]));

        var error = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.Contains("output_text", error.Message);
    }

    [Fact]
    public void Cost_is_exact_decimal_arithmetic_including_the_connection_price()
    {
        var price = Parse(Catalog(("m", [Version("v1", "2025-01-01T00:00:00Z", inputAudio: 0.1m, perMinute: 0.2m)]))).Find("m", Start)!;
        // 3 tokens at $0.10/1M (0.1+0.1+0.1 is not 0.3 in binary) and 20 s at $0.20/min (repeating: rounded to 12 places).
        var usage = UsageEvent(Guid.NewGuid(), "s", "m", Start, inputAudio: 3, connectionMs: 20_000);

        Assert.Equal(0.066666966667m, UsageCost.Compute(usage, price));
        Assert.Equal(0m, UsageCost.Compute(usage with { InputAudioTokens = 0, ConnectionMilliseconds = 0 }, price));
    }
}

using System.Text.Json.Nodes;
using VoicePlatform.Billing.Pricing;

namespace VoicePlatform.Billing.Tests;

/// <summary>
/// The shipped catalog plus a gpt-realtime-2 price change effective <see cref="FutureEffectiveFrom"/> (audio input
/// $40, audio output $80), written to a file the test Billing service loads through <c>Billing:PriceCatalogPath</c>.
/// </summary>
public static class TestPriceCatalog
{
    public static readonly DateTimeOffset FutureEffectiveFrom = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string FutureVersion = "2030-01-01";

    public static string WriteFile()
    {
        var root = JsonNode.Parse(PriceCatalogFile.EmbeddedJson())!;
        var gpt = root["models"]!.AsArray().Single(m => (string?)m!["model"] == "gpt-realtime-2")!;
        var versions = gpt["versions"]!.AsArray();
        var future = versions[0]!.DeepClone();
        future["version"] = FutureVersion;
        future["effective_from"] = "2030-01-01T00:00:00Z";
        future["per_million_tokens"]!["input_audio"] = 40.00m;
        future["per_million_tokens"]!["output_audio"] = 80.00m;
        future["source"] = "Test: a price change announced in advance.";
        versions.Add(future);
        var path = Path.Combine(Path.GetTempPath(), $"billing-prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}

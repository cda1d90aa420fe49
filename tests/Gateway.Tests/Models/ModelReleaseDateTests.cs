using System.Net.Http.Json;
using System.Text.Json;

namespace VoicePlatform.Gateway.Tests.Models;

/// <summary><c>created</c> in <c>/v1/models</c> is each model's release date, and the catalog says where each date comes from.</summary>
public sealed class ModelReleaseDateTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Theory]
    [InlineData("gpt-realtime-2", "2026-05-07")]
    [InlineData("gpt-realtime-mini", "2025-10-06")]
    [InlineData("gemini-3.1-flash-live", "2026-03-26")]
    public async Task A_catalog_model_is_created_on_its_provider_release_date(string id, string released)
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);

        var model = await tenant.GetFromJsonAsync<JsonElement>($"/v1/models/{id}");

        Assert.Equal(DateOnly.Parse(released, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(model.GetProperty("created").GetInt64()).UtcDateTime));
        Assert.Equal(0, model.GetProperty("created").GetInt64() % 86_400); // UTC midnight: a date, not an instant
        Assert.False(model.TryGetProperty("created_source", out _)); // documentation in the catalog file, not served
    }

    [Fact]
    public void Every_catalog_entry_cites_the_source_of_its_date()
    {
        using var catalog = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "models.json")));
        foreach (var entry in catalog.RootElement.GetProperty("ModelCatalog").GetProperty("Models").EnumerateArray())
        {
            var id = entry.GetProperty("Id").GetString();
            Assert.True(entry.GetProperty("Created").GetInt64() > 0, $"{id}: no Created");
            Assert.True(entry.TryGetProperty("CreatedSource", out var source) && source.GetString() is { Length: > 10 }, $"{id}: no CreatedSource");
        }
    }
}

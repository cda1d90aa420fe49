using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VoicePlatform.Gateway.Tests.Models;

/// <summary><c>GET /v1/models</c>: OpenAI's list shape, each model's formats once, snake_case keys, capabilities, limits and prices.</summary>
public sealed partial class ModelListTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task Each_catalog_model_lists_its_formats_once_with_capabilities_limits_and_prices_in_snake_case()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        var models = await tenant.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", models.GetProperty("object").GetString());
        AssertSnakeCaseKeys(models, "$");
        foreach (var model in models.GetProperty("data").EnumerateArray())
        {
            Assert.Equal("model", model.GetProperty("object").GetString());
            Assert.Equal(JsonValueKind.Number, model.GetProperty("created").ValueKind);
            Assert.False(string.IsNullOrEmpty(model.GetProperty("owned_by").GetString()));
            var formats = model.GetProperty("audio_formats").EnumerateArray().Select(f => f.GetString()).ToList();
            Assert.Equal(["audio/pcm", "audio/pcmu", "audio/pcma"], formats);
        }

        var openai = Single(models, "gpt-realtime-2");
        Assert.Equal("openai", openai.GetProperty("owned_by").GetString());
        Assert.True(openai.GetProperty("created").GetInt64() > 1_700_000_000);
        var capabilities = openai.GetProperty("capabilities");
        Assert.True(capabilities.GetProperty("tools").GetBoolean());
        Assert.True(capabilities.GetProperty("input_transcription").GetBoolean());
        Assert.True(capabilities.GetProperty("text_output").GetBoolean());
        Assert.True(capabilities.GetProperty("images").GetBoolean());
        Assert.Equal(60, openai.GetProperty("limits").GetProperty("provider_session_minutes").GetInt32());
        Assert.Equal(128000, openai.GetProperty("limits").GetProperty("context_window_tokens").GetInt32());
        var prices = openai.GetProperty("prices_per_million_tokens");
        Assert.Equal(32m, prices.GetProperty("audio_input").GetDecimal());
        Assert.Equal(64m, prices.GetProperty("audio_output").GetDecimal());

        var gemini = Single(models, "gemini-3.1-flash-live");
        Assert.Equal("google", gemini.GetProperty("owned_by").GetString());
        Assert.False(gemini.GetProperty("capabilities").GetProperty("text_output").GetBoolean());
        Assert.Equal(10, gemini.GetProperty("limits").GetProperty("provider_connection_minutes").GetInt32());
        Assert.Equal(12m, gemini.GetProperty("prices_per_million_tokens").GetProperty("audio_output").GetDecimal());
    }

    [Fact]
    public async Task The_current_models_are_listed_with_the_capabilities_limits_and_status_their_providers_give_them()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        var models = await tenant.GetFromJsonAsync<JsonElement>("/v1/models");

        foreach (var (id, owner) in new[]
                 {
                     ("gpt-realtime-2.1", "openai"), ("gpt-realtime-2.1-mini", "openai"), ("gpt-realtime-2", "openai"),
                     ("gemini-3.8-live", "google"), ("gemini-3.8-live-extended-thinking", "google"), ("gemini-3.1-flash-live", "google"),
                     ("gemini-2.5-flash-native-audio", "google"), ("grok-voice-think-fast-1.0", "xai"),
                 })
        {
            var model = Single(models, id);
            Assert.Equal(owner, model.GetProperty("owned_by").GetString());
            Assert.True(model.GetProperty("capabilities").GetProperty("tools").GetBoolean(), id);
        }

        var gpt21 = Single(models, "gpt-realtime-2.1");
        Assert.True(gpt21.GetProperty("capabilities").GetProperty("reasoning").GetBoolean());
        Assert.Equal(32000, gpt21.GetProperty("limits").GetProperty("max_output_tokens").GetInt32());
        Assert.Equal(24m, gpt21.GetProperty("prices_per_million_tokens").GetProperty("text_output").GetDecimal());
        Assert.Equal(0.60m, Single(models, "gpt-realtime-2.1-mini").GetProperty("prices_per_million_tokens").GetProperty("text_input").GetDecimal());

        // Gemini takes images and video; 3.8 speaks only (audio out), calls functions asynchronously, is proactive.
        var gemini38 = Single(models, "gemini-3.8-live");
        var capabilities = gemini38.GetProperty("capabilities");
        Assert.True(capabilities.GetProperty("images").GetBoolean());
        Assert.True(capabilities.GetProperty("video").GetBoolean());
        Assert.False(capabilities.GetProperty("text_output").GetBoolean());
        Assert.True(capabilities.GetProperty("async_function_calls").GetBoolean());
        Assert.True(capabilities.GetProperty("proactive_audio").GetBoolean());
        Assert.False(capabilities.GetProperty("affective_dialog").GetBoolean());
        Assert.Equal(131072, gemini38.GetProperty("limits").GetProperty("context_window_tokens").GetInt32());
        Assert.Equal("stable", gemini38.GetProperty("lifecycle").GetString());
        Assert.True(Single(models, "gemini-3.8-live-extended-thinking").GetProperty("capabilities").GetProperty("reasoning").GetBoolean());
        Assert.Equal("legacy", Single(models, "gemini-3.1-flash-live").GetProperty("lifecycle").GetString());
        var gemini25 = Single(models, "gemini-2.5-flash-native-audio").GetProperty("capabilities");
        Assert.True(gemini25.GetProperty("affective_dialog").GetBoolean());
        Assert.True(gemini25.GetProperty("proactive_audio").GetBoolean());

        // xAI bills by the minute and keeps server VAD on.
        var grok = Single(models, "grok-voice-think-fast-1.0");
        Assert.Equal(0.05m, grok.GetProperty("price_per_minute").GetDecimal());
        Assert.False(grok.GetProperty("capabilities").GetProperty("manual_turns").GetBoolean());
        Assert.True(Single(models, "gpt-realtime-2").GetProperty("capabilities").GetProperty("manual_turns").GetBoolean());
        Assert.Equal(30, grok.GetProperty("limits").GetProperty("provider_session_minutes").GetInt32());
    }

    private static JsonElement Single(JsonElement models, string id) =>
        Assert.Single(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == id);

    private static void AssertSnakeCaseKeys(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.True(SnakeCase().IsMatch(property.Name), $"{path}.{property.Name} is not snake_case");
                    AssertSnakeCaseKeys(property.Value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) AssertSnakeCaseKeys(item, $"{path}[{index++}]");
                break;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}

using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Where a Gemini instance connects and which model name its setup carries, per platform (gemini-live-3.8-and-vertex.md §7.1).</summary>
public sealed class GeminiEndpointTests
{
    [Fact]
    public void The_Developer_API_takes_the_key_in_the_query_and_models_slash_names()
    {
        var endpoint = GeminiEndpoint.For(new GeminiProviderOptions { ApiKey = "k y" }, tokens: null);

        Assert.Equal("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=k%20y",
            endpoint.Uri.AbsoluteUri);
        Assert.Equal("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent", endpoint.Redacted);
        Assert.Equal("models/gemini-3.8-live", endpoint.ModelPath("gemini-3.8-live"));
    }

    [Theory]
    [InlineData("global", "wss://aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent")]
    [InlineData("us-central1", "wss://us-central1-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent")]
    [InlineData("eu", "wss://aiplatform.eu.rep.googleapis.com/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent")]
    public void Vertex_connects_to_its_location_s_host(string location, string expected)
    {
        var options = new GeminiProviderOptions { Platform = "vertex", ApiKey = "express", Vertex = { Location = location } };

        Assert.Equal(expected, GeminiEndpoint.For(options, tokens: null).Uri.AbsoluteUri);
    }

    [Fact]
    public void Vertex_with_a_base_URL_and_version_uses_them_and_express_mode_names_publisher_models()
    {
        var options = new GeminiProviderOptions { Platform = "vertex", ApiKey = "express", BaseUrl = "http://127.0.0.1:5080/", ApiVersion = "v1" };

        var endpoint = GeminiEndpoint.For(options, tokens: null);

        Assert.Equal("ws://127.0.0.1:5080/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent", endpoint.Uri.AbsoluteUri);
        Assert.Equal("publishers/google/models/gemini-3.8-live", endpoint.ModelPath("gemini-3.8-live"));
        Assert.Equal("projects/p/locations/l/publishers/google/models/m", endpoint.ModelPath("projects/p/locations/l/publishers/google/models/m"));
    }
}

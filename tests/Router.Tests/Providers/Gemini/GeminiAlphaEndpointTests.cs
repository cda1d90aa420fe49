using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// Where a setup with 2.5's affective dialog or proactivity connects: the Developer API serves them on v1alpha only
/// (gemini-live-3.8-and-vertex.md §4, §6.1); a configured version and Vertex stay as they are.
/// </summary>
public sealed class GeminiAlphaEndpointTests
{
    [Fact]
    public void The_Developer_API_default_version_becomes_v1alpha_with_the_same_key()
    {
        var endpoint = GeminiEndpoint.For(new GeminiProviderOptions { ApiKey = "k" }, tokens: null);

        var alpha = endpoint.ForAlphaFields();

        Assert.Equal("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent?key=k",
            alpha.Uri.AbsoluteUri);
        Assert.Same(alpha, endpoint.ForAlphaFields());
        Assert.Equal("models/gemini-2.5-flash-native-audio-preview-12-2025", alpha.ModelPath("gemini-2.5-flash-native-audio-preview-12-2025"));
    }

    [Theory]
    [InlineData("developer", "v1beta")]
    [InlineData("vertex", "")]
    public void A_configured_version_or_Vertex_keeps_its_URL(string platform, string version)
    {
        var options = new GeminiProviderOptions { Platform = platform, ApiKey = "k", ApiVersion = version };
        var endpoint = GeminiEndpoint.For(options, tokens: null);

        Assert.Same(endpoint, endpoint.ForAlphaFields());
        Assert.Equal(endpoint.Uri, endpoint.AlphaUri);
    }
}

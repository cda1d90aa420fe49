using System.Net;
using System.Text.RegularExpressions;

namespace VoicePlatform.Gateway.Tests.ApiDocs;

/// <summary><c>/docs</c> renders the OpenAPI document with Scalar, and everything the page loads is served by the Gateway (it works offline).</summary>
public sealed partial class ApiReferencePageTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task The_docs_page_loads_its_script_from_the_gateway_itself()
    {
        using var anonymous = context.First.CreateClient();
        using var page = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();

        // The page reads the document relative to the site's base path ("openapi/v1.json" from "/docs/").
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        // Nothing fetched from the internet at run time: no font CDN, no telemetry.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.DoesNotMatch(ExternalUrl(), html);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            var url = new Uri(new Uri(anonymous.BaseAddress!, "/docs/"), src);
            Assert.Equal(anonymous.BaseAddress!.Host, url.Host);
            using var script = await anonymous.GetAsync(url);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url}: {(int)script.StatusCode}");
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? "");
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 1000, $"{url} is not the bundle");
        }
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();

    // An absolute http(s) URL in a src or href attribute: something the browser would fetch from elsewhere.
    [GeneratedRegex("(src|href)=\"(https?:)?//")]
    private static partial Regex ExternalUrl();
}

using Scalar.AspNetCore;

namespace VoicePlatform.Gateway.ApiDocs;

/// <summary>
/// <c>/docs</c>: the rendered API reference (Scalar) over <c>/openapi/v1.json</c>. Scalar's JavaScript bundle is
/// embedded in the Scalar.AspNetCore package and served from <c>/docs/scalar.js</c> by the Gateway itself, so the page
/// works offline (no CDN). What the bundle would otherwise fetch from the internet is switched off: its default fonts
/// (a font CDN), telemetry and the hosted AI agent.
/// </summary>
public static class ApiReferencePage
{
    public const string Path = "/docs";

    public static IEndpointRouteBuilder MapApiReferencePage(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, options => options
            .WithTitle("VoicePlatform API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            // The schemas stay visible in each operation; a separate "Models" section would read like our /v1/models tag.
            .HideModels()
            // The developer toolbar advertises Scalar's hosted services ("Deploy", "Generate SDK", "Share").
            .HideDeveloperTools());
        app.MapRealtimeProtocolDocs(); // /docs/realtime and /docs/asyncapi/realtime.yaml, linked from the document's description
        return app;
    }
}

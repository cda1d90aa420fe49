using System.Reflection;
using Markdig;

namespace VoicePlatform.Gateway.ApiDocs;

/// <summary>
/// The realtime protocol reference next to the REST one: <c>/docs/realtime</c> renders <c>docs/realtime-protocol.md</c>
/// and <c>/docs/asyncapi/realtime.yaml</c> is the AsyncAPI 3.0 document. Both are embedded in the assembly at build
/// time, so the Gateway serves them offline and they always match its version. The page has no scripts.
/// </summary>
public static class RealtimeProtocolDocs
{
    public const string PagePath = "/docs/realtime";
    public const string AsyncApiPath = "/docs/asyncapi/realtime.yaml";

    private static readonly Lazy<string> AsyncApi = new(() => ReadResource("VoicePlatform.Gateway.Docs.realtime.yaml"));
    private static readonly Lazy<string> Page = new(() => RenderPage(ReadResource("VoicePlatform.Gateway.Docs.realtime-protocol.md")));

    public static IEndpointRouteBuilder MapRealtimeProtocolDocs(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath, () => Results.Content(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet(AsyncApiPath, () => Results.Text(AsyncApi.Value, "application/yaml; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The Markdown as one HTML page; its relative link to <c>asyncapi/realtime.yaml</c> resolves under /docs/.</summary>
    private static string RenderPage(string markdown)
    {
        var pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().Build();
        var body = Markdown.ToHtml(markdown, pipeline);
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>VoicePlatform realtime protocol</title>
            <style>
            body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
            code { font: 13px ui-monospace, monospace; background: #f3f3f5; padding: 0 .2em; border-radius: 3px; }
            pre { background: #f3f3f5; padding: .8em; overflow-x: auto; } pre code { padding: 0; }
            table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #ddd; padding: .3em .6em; vertical-align: top; text-align: left; }
            nav { margin-bottom: 1.5em; }
            </style>
            </head>
            <body>
            <nav><a href="/docs">REST API reference</a> · <a href="{{AsyncApiPath}}">AsyncAPI 3.0 document</a></nav>
            {{body}}
            </body>
            </html>
            """;
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The Gateway was built without its embedded resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

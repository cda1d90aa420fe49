using System.Net;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Recordings;

/// <summary>
/// The browser's <c>&lt;audio&gt;</c> cannot send the user's API key (and must never see it), so the console relays the
/// Gateway's recording and VTT with the signed-in user's key. Range requests pass through, so seeking works.
/// </summary>
public static class RecordingProxyEndpoints
{
    private static readonly string[] RelayedHeaders = ["Content-Range", "Accept-Ranges", "Content-Length", "Content-Type", "Last-Modified", "ETag"];

    public static IEndpointRouteBuilder MapRecordingProxy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sessions/{id}/recording.wav", (string id, bool? download, HttpContext http, GatewayApi gateway) =>
            RelayAsync(http, gateway, $"/v1/sessions/{GatewayApi.Escape(id)}/recording", download == true ? $"{id}.wav" : null))
            .RequireAuthorization();
        app.MapGet("/sessions/{id}/transcript.vtt", (string id, HttpContext http, GatewayApi gateway) =>
            RelayAsync(http, gateway, $"/v1/sessions/{GatewayApi.Escape(id)}/transcript?format=vtt", $"{id}.vtt"))
            .RequireAuthorization();
        return app;
    }

    private static async Task RelayAsync(HttpContext http, GatewayApi gateway, string path, string? attachmentName)
    {
        using var upstream = await gateway.OpenAsync(path, request =>
        {
            if (http.Request.Headers.Range.Count > 0) request.Headers.TryAddWithoutValidation("Range", http.Request.Headers.Range.ToString());
            if (http.Request.Headers.IfRange.Count > 0) request.Headers.TryAddWithoutValidation("If-Range", http.Request.Headers.IfRange.ToString());
        }, http.RequestAborted);

        var response = http.Response;
        response.StatusCode = upstream.StatusCode == HttpStatusCode.Unauthorized ? StatusCodes.Status403Forbidden : (int)upstream.StatusCode;
        foreach (var name in RelayedHeaders)
        {
            if (upstream.Headers.TryGetValues(name, out var values) || upstream.Content.Headers.TryGetValues(name, out values))
                response.Headers[name] = values.ToArray();
        }
        if (attachmentName is not null && upstream.IsSuccessStatusCode)
            response.Headers.ContentDisposition = $"attachment; filename=\"{attachmentName}\"";
        response.Headers.CacheControl = "private, no-store";
        await upstream.Content.CopyToAsync(response.Body, http.RequestAborted);
    }
}

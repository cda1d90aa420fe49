using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Net.Http.Headers;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;
using VoicePlatform.Gateway.Transcripts;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// <c>/v1/recordings/settings</c> (the tenant's recording switch) and <c>GET /v1/sessions/{id}/recording</c> (the
/// session's stereo WAV, with single-range HTTP Range support). Tenant API key; errors in OpenAI's shape; another
/// tenant's session is a 404 like a missing one (the metadata lookup in Transcripts is tenant-scoped).
/// </summary>
public static class RecordingsApiEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var recordings = app.MapGroup("/v1/recordings").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Recordings");

        recordings.MapGet("/settings", async (HttpContext http, RecordingSettingsStore settings) =>
                Results.Ok(new RecordingSettingsBody(await settings.IsEnabledAsync(Tenant(http), http.RequestAborted))))
            .WithName("GetRecordingSettings").Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .WithSummary("Get whether the tenant's sessions are recorded (off by default; session.update 'recording' overrides it per session)")
            .Produces<RecordingSettingsBody>();

        recordings.MapPut("/settings", async (HttpContext http, RecordingSettingsStore settings) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<RecordingSettingsRequest>(http);
                if (invalid is not null) return invalid;
                if (body!.Enabled is not { } enabled)
                    return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", "'enabled' is required (true or false).", "enabled");
                await settings.SetEnabledAsync(Tenant(http), enabled, http.RequestAborted);
                return Results.Ok(new RecordingSettingsBody(enabled));
            })
            .WithName("SetRecordingSettings").Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .WithSummary("Switch recording of the tenant's sessions on or off (from the next session; a session.update 'recording' still overrides it)")
            .DocumentJsonBody<RecordingSettingsRequest>()
            .Produces<RecordingSettingsBody>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        var sessions = app.MapGroup("/v1/sessions").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Sessions");

        sessions.MapGet("/{id}/recording", StreamRecordingAsync)
            .WithName("GetSessionRecording")
            .WithSummary("Download a session's call recording: stereo PCM16 WAV, left = caller, right = assistant as heard. "
                + "Supports a single HTTP Range (bytes=a-b, bytes=a-, bytes=-n): 206 with Content-Range, 416 when unsatisfiable")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "audio/wav")
            .Produces(StatusCodes.Status206PartialContent, typeof(Stream), "audio/wav")
            .Produces(StatusCodes.Status416RangeNotSatisfiable)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    private static async Task<IResult> StreamRecordingAsync(string id, HttpContext http, TranscriptStore.TranscriptStoreClient transcripts,
        RecordingStorage storage, ILoggerFactory loggers)
    {
        RecordingInfo recording;
        try
        {
            recording = await transcripts.GetRecordingAsync(new GetRecordingRequest { TenantId = Tenant(http).ToString(), SessionId = id },
                new CallOptions(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return NotFound(id);
        }
        catch (RpcException e)
        {
            return DownstreamErrors.FromRpc(e, DownstreamService.Transcripts, loggers.CreateLogger(typeof(RecordingsApiEndpoints)));
        }
        if (storage.Store is not { } store) return NotFound(id);

        var (from, to) = SingleByteRange(http.Request);
        // A session resumed elsewhere has several segments: they are served as one WAV on the session's timeline.
        var segments = recording.Segments.Count == 0
            ? [new RecordingSegment(recording.Key, DateTimeOffset.FromUnixTimeMilliseconds(recording.StoredAtUnixMs))]
            : recording.Segments.Select(s => new RecordingSegment(s.Key, DateTimeOffset.FromUnixTimeMilliseconds(s.StartedAtUnixMs))).ToList();
        await using var read = await SegmentedRecordingReader.OpenAsync(store, segments, from, to, http.RequestAborted);
        var response = http.Response;
        switch (read.Status)
        {
            case RecordingRangeStatus.NotFound:
                return NotFound(id); // metadata without the file: deleted by retention a moment ago
            case RecordingRangeStatus.Unsatisfiable:
                response.Headers.AcceptRanges = "bytes";
                response.Headers.ContentRange = $"bytes */{read.TotalLength}";
                return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }
        response.StatusCode = read.IsPartial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        response.ContentType = "audio/wav";
        response.ContentLength = read.Length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = $"\"{EntityTag(recording)}\"";
        if (read.IsPartial) response.Headers.ContentRange = $"bytes {read.Start}-{read.End}/{read.TotalLength}";
        await read.Content!.CopyToAsync(response.Body, http.RequestAborted);
        return Results.Empty;
    }

    /// <summary>
    /// The Range header's bounds when it is one byte range; (null, null) — the whole recording — otherwise. Ignoring a
    /// malformed or multi-range header is what RFC 9110 allows a server to do.
    /// </summary>
    private static (long? From, long? To) SingleByteRange(HttpRequest request)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var range)
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1)
            return (null, null);
        var only = range.Ranges.First();
        return (only.From, only.To);
    }

    /// <summary>The WAV's SHA-256 for one segment; for several, a hash of theirs (the served WAV is never stored whole).</summary>
    private static string EntityTag(RecordingInfo recording) =>
        recording.Segments.Count <= 1
            ? recording.Sha256
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(',', recording.Segments.Select(s => s.Sha256)))));

    private static IResult NotFound(string sessionId) =>
        OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "recording_not_found",
            $"No recording found for session '{sessionId}'.", "id");

    private static Guid Tenant(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId;
}

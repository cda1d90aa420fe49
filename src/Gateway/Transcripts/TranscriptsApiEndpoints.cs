using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>
/// <c>/v1/sessions</c> and <c>/v1/transcripts</c>: a tenant's recorded sessions, transcripts (JSON, text, WebVTT),
/// full-text search and retention, backed by the Transcripts service over gRPC. Authenticated with the tenant's API
/// key; another tenant's session is a 404 like a missing one. Errors in OpenAI's shape.
/// </summary>
public static class TranscriptsApiEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapTranscriptsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/v1/sessions").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Sessions");

        sessions.MapGet("/", async (HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
            {
                var query = http.Request.Query;
                if (!TimeQuery.TryParse(query["from"], out var from)) return OpenAIError.InvalidValue("'from' must be Unix seconds or an RFC 3339 timestamp.", "from");
                if (!TimeQuery.TryParse(query["to"], out var to)) return OpenAIError.InvalidValue("'to' must be Unix seconds or an RFC 3339 timestamp.", "to");
                if (!TryParseLimit(query["limit"], out var limit)) return OpenAIError.InvalidValue("'limit' must be an integer from 1 to 100.", "limit");
                return await CallAsync(loggers, async () =>
                {
                    var page = await store.ListSessionsAsync(new ListSessionsRequest
                    {
                        TenantId = TenantId(http),
                        PageSize = limit,
                        Cursor = query["cursor"].ToString(),
                        FromUnixMs = from,
                        ToUnixMs = to,
                        Model = query["model"].ToString(),
                        Provider = query["provider"].ToString(),
                        EndReason = query["end_reason"].ToString(),
                        Route = query["route"].ToString(),
                        ExperimentId = query["experiment"].ToString(),
                        ExperimentArm = query["arm"].ToString(),
                    }, Options(http));
                    return Results.Ok(new SessionListResponse([.. page.Sessions.Select(SessionResponse.From)], page.NextCursor != "", NullIfEmpty(page.NextCursor)));
                });
            })
            .WithName("ListSessions").ProducesCommonErrors()
            .WithSummary("List recorded sessions, newest first. Query: from, to (Unix seconds or RFC 3339; on the start time), model, provider, end_reason, route, experiment (an experiment id), arm (an experiment arm), limit (1-100, default 20), cursor")
            .Produces<SessionListResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        sessions.MapGet("/{id}", (string id, HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var session = await store.GetSessionAsync(new GetSessionRequest { TenantId = TenantId(http), SessionId = id }, Options(http));
                    return Results.Ok(SessionResponse.From(session));
                }))
            .WithName("GetSession").ProducesCommonErrors().WithSummary("Get a recorded session's metadata")
            .Produces<SessionResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        sessions.MapGet("/{id}/transcript", async (string id, HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
            {
                if (!TryChooseFormat(http.Request, out var format))
                    return OpenAIError.InvalidValue("'format' must be json, text or vtt.", "format");
                return await CallAsync(loggers, async () =>
                {
                    var transcript = await store.GetTranscriptAsync(new GetTranscriptRequest { TenantId = TenantId(http), SessionId = id }, Options(http));
                    return format switch
                    {
                        TranscriptFormat.Text => Results.Text(PlainTextTranscript.Write(transcript.Segments), "text/plain; charset=utf-8"),
                        TranscriptFormat.Vtt => Results.Text(WebVttTranscript.Write(transcript.Segments), "text/vtt; charset=utf-8"),
                        _ => Results.Ok(new TranscriptResponse(transcript.SessionId, [.. transcript.Segments.Select(TranscriptSegmentResponse.From)])),
                    };
                });
            })
            .WithName("GetTranscript").ProducesCommonErrors()
            .WithSummary("Get a session's transcript in timeline order: format=json (default), text or vtt, or Accept: text/plain / text/vtt")
            .Produces<TranscriptResponse>().Produces<string>(StatusCodes.Status200OK, "text/plain", "text/vtt")
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest).Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        var transcripts = app.MapGroup("/v1/transcripts").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Transcripts");

        transcripts.MapGet("/search", async (HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
            {
                var query = http.Request.Query;
                if (string.IsNullOrWhiteSpace(query["q"])) return OpenAIError.InvalidValue("'q' is required.", "q");
                if (!TryParseLimit(query["limit"], out var limit)) return OpenAIError.InvalidValue("'limit' must be an integer from 1 to 100.", "limit");
                return await CallAsync(loggers, async () =>
                {
                    var page = await store.SearchTranscriptsAsync(new SearchTranscriptsRequest
                    {
                        TenantId = TenantId(http),
                        Query = query["q"].ToString(),
                        PageSize = limit,
                        Cursor = query["cursor"].ToString(),
                    }, Options(http));
                    return Results.Ok(new SearchResultsResponse([.. page.Hits.Select(SearchHitResponse.From)], page.NextCursor != "", NullIfEmpty(page.NextCursor)));
                });
            })
            .WithName("SearchTranscripts").ProducesCommonErrors()
            .WithSummary("Full-text search over the tenant's transcripts. Query: q (words, \"a phrase\", -word, or), limit (1-100, default 20), cursor")
            .Produces<SearchResultsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        transcripts.MapGet("/settings", (HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                    Results.Ok(TranscriptSettingsBody.From(await store.GetRetentionAsync(new GetRetentionRequest { TenantId = TenantId(http) }, Options(http))))))
            .WithName("GetTranscriptSettings").ProducesCommonErrors().WithSummary("Get the tenant's transcript retention")
            .Produces<TranscriptSettingsBody>();

        transcripts.MapPut("/settings", async (HttpContext http, TranscriptStore.TranscriptStoreClient store, ILoggerFactory loggers) =>
            {
                var (body, invalid) = await JsonRequestBody.ReadAsync<TranscriptSettingsRequest>(http);
                if (invalid is not null) return invalid;
                if (body!.RetentionDays is not { } days) return OpenAIError.InvalidValue("'retention_days' is required.", "retention_days");
                return await CallAsync(loggers, async () =>
                    Results.Ok(TranscriptSettingsBody.From(await store.SetRetentionAsync(
                        new SetRetentionRequest { TenantId = TenantId(http), RetentionDays = days }, Options(http)))));
            })
            .WithName("SetTranscriptSettings").ProducesCommonErrors().WithSummary("Set how many days sessions and transcripts are kept")
            .DocumentJsonBody<TranscriptSettingsRequest>()
            .Produces<TranscriptSettingsBody>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        return app;
    }

    /// <summary>What any transcripts endpoint may answer: a bad key (401) or the Transcripts service unreachable (503).</summary>
    private static RouteHandlerBuilder ProducesCommonErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    private static bool TryChooseFormat(HttpRequest request, out TranscriptFormat format)
    {
        var requested = request.Query["format"].ToString();
        if (requested.Length > 0)
        {
            format = requested switch { "json" => TranscriptFormat.Json, "text" => TranscriptFormat.Text, "vtt" => TranscriptFormat.Vtt, _ => (TranscriptFormat)(-1) };
            return Enum.IsDefined(format);
        }
        var accept = request.Headers.Accept.ToString();
        format = accept.Contains("text/vtt", StringComparison.OrdinalIgnoreCase) ? TranscriptFormat.Vtt
            : accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase) ? TranscriptFormat.Text
            : TranscriptFormat.Json;
        return true;
    }

    private static bool TryParseLimit(string? value, out int limit)
    {
        limit = 0;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 100);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string TenantId(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId.ToString();

    private static CallOptions Options(HttpContext http) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

    private static Task<IResult> CallAsync(ILoggerFactory loggers, Func<Task<IResult>> call) =>
        DownstreamCall.RunAsync(call, error => DownstreamErrors.FromRpc(error, DownstreamService.Transcripts, loggers.CreateLogger(typeof(TranscriptsApiEndpoints))));
}

using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Transcripts.Recordings;
using VoicePlatform.Transcripts.Retention;
using VoicePlatform.Transcripts.Search;
using VoicePlatform.Transcripts.Segments;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Grpc;

/// <summary>The tenant-scoped query API. Every lookup is by (tenant, id): another tenant's session is NOT_FOUND, never revealed.</summary>
public sealed class TranscriptStoreService(
    SessionStore sessions, SegmentStore segments, TranscriptSearch search, RetentionStore retention, RecordingMetadataStore recordings)
    : TranscriptStore.TranscriptStoreBase
{
    public override Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        if (request.FromUnixMs < 0 || request.ToUnixMs < 0)
            throw Invalid("from_unix_ms and to_unix_ms must not be negative");
        return sessions.ListAsync(tenantId, request, context.CancellationToken);
    }

    public override async Task<SessionSummary> GetSession(GetSessionRequest request, ServerCallContext context) =>
        await sessions.GetAsync(Tenant(request.TenantId), request.SessionId, context.CancellationToken) ?? throw NotFound(request.SessionId);

    public override async Task<GetTranscriptResponse> GetTranscript(GetTranscriptRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        var found = await segments.ListAsync(tenantId, request.SessionId, context.CancellationToken);
        // Segments can precede their SessionStarted: a session is known by either.
        if (found.Count == 0 && await sessions.GetAsync(tenantId, request.SessionId, context.CancellationToken) is null)
            throw NotFound(request.SessionId);
        var response = new GetTranscriptResponse { SessionId = request.SessionId };
        response.Segments.AddRange(found);
        return response;
    }

    public override Task<SearchTranscriptsResponse> SearchTranscripts(SearchTranscriptsRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        if (string.IsNullOrWhiteSpace(request.Query)) throw Invalid("query must not be empty", "query");
        return search.SearchAsync(tenantId, request.Query, request.PageSize, request.Cursor, context.CancellationToken);
    }

    public override Task<RetentionSettings> GetRetention(GetRetentionRequest request, ServerCallContext context) =>
        retention.GetAsync(Tenant(request.TenantId), context.CancellationToken);

    public override Task<RetentionSettings> SetRetention(SetRetentionRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        if (request.RetentionDays is < 1 or > RetentionStore.MaxDays)
            throw Invalid($"retention_days must be between 1 and {RetentionStore.MaxDays}", "retention_days");
        return retention.SetAsync(tenantId, request.RetentionDays, context.CancellationToken);
    }

    public override async Task<RecordingInfo> GetRecording(GetRecordingRequest request, ServerCallContext context) =>
        await recordings.GetAsync(Tenant(request.TenantId), request.SessionId, context.CancellationToken)
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"No recording found for session '{request.SessionId}'."));

    private static Guid Tenant(string tenantId) =>
        Guid.TryParse(tenantId, out var id) ? id : throw Invalid("tenant_id must be a UUID");

    private static RpcException Invalid(string detail, string? param = null) =>
        new(new Status(StatusCode.InvalidArgument, detail), param is null ? [] : new Metadata { { "param", param } });

    private static RpcException NotFound(string sessionId) =>
        new(new Status(StatusCode.NotFound, $"No session found with id '{sessionId}'."));
}

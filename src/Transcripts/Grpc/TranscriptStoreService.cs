using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Grpc;

public sealed class TranscriptStoreService(SessionStore sessions) : TranscriptStore.TranscriptStoreBase
{
    public override Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.TenantId, out var tenantId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tenant_id must be a UUID"));
        return sessions.ListAsync(tenantId, request.PageSize, request.Cursor, context.CancellationToken);
    }
}

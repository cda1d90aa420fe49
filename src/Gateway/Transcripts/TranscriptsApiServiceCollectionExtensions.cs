using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

public static class TranscriptsApiServiceCollectionExtensions
{
    // See DownstreamServices for why gRPC clients opt out of the standard resilience handler.
#pragma warning disable EXTEXP0001
    /// <summary>The Transcripts service's <c>TranscriptStore</c> client, resolved by service discovery (<c>services:transcripts:grpc</c>).</summary>
    public static IServiceCollection AddTranscriptsApi(this IServiceCollection services)
    {
        services.AddGrpcClient<TranscriptStore.TranscriptStoreClient>(o => o.Address = new Uri("http://_grpc.transcripts"))
            .RemoveAllResilienceHandlers();
        return services;
    }
#pragma warning restore EXTEXP0001
}

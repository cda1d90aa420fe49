namespace VoicePlatform.Gateway.Tests.Transcripts;

/// <summary>
/// The classes that need the in-process Transcripts service share one (<see cref="TranscriptsApiTestContext"/>): a
/// second instance would consume from the same RabbitMQ queues and take the other's events.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TranscriptsServiceCollection : ICollectionFixture<TranscriptsApiTestContext>
{
    public const string Name = "transcripts-service";
}

namespace VoicePlatform.Transcripts.Tests;

/// <summary>Every test class that talks to the service shares one instance (its consumers own the bus queues).</summary>
[CollectionDefinition(Name)]
public sealed class TranscriptsCollection : ICollectionFixture<TranscriptsServiceFixture>
{
    public const string Name = "transcripts";
}

namespace VoicePlatform.Insights.Tests;

/// <summary>Every test class that talks to the service shares one instance (its consumers own the bus queues).</summary>
[CollectionDefinition(Name)]
public sealed class InsightsCollection : ICollectionFixture<InsightsServiceFixture>
{
    public const string Name = "insights";
}

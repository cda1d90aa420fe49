namespace VoicePlatform.Gateway.Tests.Insights;

/// <summary>The classes that need the in-process Insights service share one (<see cref="InsightsApiTestContext"/>).</summary>
[CollectionDefinition(Name)]
public sealed class InsightsServiceCollection : ICollectionFixture<InsightsApiTestContext>
{
    public const string Name = "insights-service";
}

using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("VoicePlatform.EndToEnd.Tests.LongestCollectionFirst", "VoicePlatform.EndToEnd.Tests")]

namespace VoicePlatform.EndToEnd.Tests;

/// <summary>
/// Starts the shared-platform collection first. Collections run two at a time; the shared platform's is by far the
/// longest (about 4 minutes of tests against 2 or less for any other), and started last it ran alone at the end of
/// the suite for its whole length (measured: 11 m 57 s for the suite, of which the last 4 m on one slot).
/// </summary>
public sealed class LongestCollectionFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName == PlatformCollection.Name ? 0 : 1); // stable: the rest keep their order
}

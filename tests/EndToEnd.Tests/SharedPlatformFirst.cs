using Xunit;
using Xunit.Abstractions;

namespace VoicePlatform.EndToEnd.Tests;

/// <summary>
/// Starts the shared platform's collection first. Collections run two at a time, and that one is by far the longest
/// (two dozen classes in sequence on one boot, about 5½ minutes): started in xUnit's default order it began after
/// eight minutes and ran its last two alone, while started first the other collections fill the second lane beside it.
/// The others follow in the order they were found.
/// </summary>
public sealed class SharedPlatformFirst : ITestCollectionOrderer
{
    public const string TypeName = "VoicePlatform.EndToEnd.Tests.SharedPlatformFirst";
    public const string AssemblyName = "VoicePlatform.EndToEnd.Tests";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName == PlatformCollection.Name ? 0 : 1); // a stable sort: the others as given
}

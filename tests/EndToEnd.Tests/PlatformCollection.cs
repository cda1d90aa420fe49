using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests;

/// <summary>One platform boot shared by every end-to-end test class.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "platform";
}

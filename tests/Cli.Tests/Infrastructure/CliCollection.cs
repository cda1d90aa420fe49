namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>One platform boot shared by every test class that runs <c>vp</c> against it.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliPlatform>
{
    public const string Name = "cli-platform";
}

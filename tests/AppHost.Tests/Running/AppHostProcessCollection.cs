namespace VoicePlatform.AppHost.Tests.Running;

/// <summary>
/// Test classes that start the real AppHost run one after another: each runs the whole platform, and two at once on a
/// 2-core machine double every start-up time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppHostProcessCollection
{
    public const string Name = "AppHost processes";
}

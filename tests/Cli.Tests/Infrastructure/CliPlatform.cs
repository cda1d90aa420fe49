using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>The whole platform, booted once for every <c>vp</c> test (see <see cref="CliCollection"/>).</summary>
public sealed class CliPlatform : PlatformFixture
{
    /// <summary>The environment that points <c>vp</c> at this platform with the development tenant's key.</summary>
    public Dictionary<string, string?> TenantEnvironment => new()
    {
        ["VOICEPLATFORM_URL"] = Endpoints.Gateway,
        ["VOICEPLATFORM_API_KEY"] = Endpoints.DevApiKey,
    };
}

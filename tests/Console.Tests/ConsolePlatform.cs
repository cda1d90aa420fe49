using VoicePlatform.TestSupport;

namespace VoicePlatform.Console.Tests;

/// <summary>The whole platform with the console in it, as AppHost runs it; the live count refreshes every second.</summary>
public sealed class ConsolePlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["Console__LiveRefreshInterval"] = "00:00:01",
    };
}

using VoicePlatform.TestSupport;

namespace VoicePlatform.Console.Tests;

/// <summary>The whole platform with the console in it, as AppHost runs it; the live count refreshes every second; loopback webhooks are allowed.</summary>
public sealed class ConsolePlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["Console__LiveRefreshInterval"] = "00:00:01",
        // The Tools page test registers a webhook served by the test on loopback (plain http, allow-listed).
        ["Tools__Webhooks__AllowedTargets__0"] = "127.0.0.1",
    };
}

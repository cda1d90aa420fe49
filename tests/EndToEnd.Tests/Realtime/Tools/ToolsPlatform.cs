using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Tools;

/// <summary>
/// The platform with the webhook allow-list admitting 127.0.0.1, where the tests' webhook server listens, and the
/// emulators' text-triggered faults on (a user message naming a fault fails only its own session: the mid-session
/// fallback tests use it).
/// </summary>
public sealed class ToolsPlatform : PlatformFixture
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["Tools__Webhooks__AllowedTargets__0"] = "127.0.0.1",
        ["ServerTools__EndSessionGrace"] = "00:00:20",
        ["OpenAIEmulator__Faults__TextTriggers"] = "true",
        ["GeminiEmulator__Faults__TextTriggers"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class ToolsPlatformCollection : ICollectionFixture<ToolsPlatform>
{
    public const string Name = "platform-tools";
}

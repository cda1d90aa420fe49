using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Hostile;

/// <summary>
/// A platform of its own for the hostile-input suite, with the production message limit (15 MiB: messages over gRPC's
/// old 4 MB default must pass) and a message rate high enough that the fuzzer's bursts reach the code under test
/// instead of the rate limiter (which has its own test).
/// </summary>
public sealed class HostileInputPlatform : PlatformFixture
{
    public const int MaxClientMessageBytes = 15 * 1024 * 1024;

    protected override Dictionary<string, string?> Environment => new()
    {
        ["Gateway__Realtime__MaxMessageBytes"] = MaxClientMessageBytes.ToString(),
        ["Gateway__Realtime__MessagesPerSecond"] = "20000",
        ["Gateway__Realtime__MessageBurst"] = "20000",
    };
}

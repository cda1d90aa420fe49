using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests;

/// <summary>
/// The platform as AppHost runs it, with settings the realtime tests need: replies streamed at a realistic pace
/// (so there is something to interrupt), <c>gpt-realtime-mini</c> answering 300 ms later than <c>gpt-realtime-2</c>
/// (so experiments have an effect to find), a small client message cap (so the limit is cheap to hit) and frequent
/// budget checks (so a crossed budget ends a session quickly).
/// </summary>
public sealed class EndToEndPlatform : PlatformFixture
{
    public const int MaxClientMessageBytes = 256 * 1024;

    /// <summary>A second Gateway (<c>gateway-2</c>), for clients resuming on another instance.</summary>
    protected override int GatewayReplicas => 2;

    public string SecondGateway => Endpoints.Services["gateway-2"];

    protected override Dictionary<string, string?> Environment => new()
    {
        ["OpenAIEmulator__ResponseRealtimeFactor"] = "4",
        // Two OpenAI models that answer at different speeds, for experiment statistics (Insights/ExperimentResultsTests).
        ["OpenAIEmulator__ReplyDelays__gpt-realtime-mini"] = "00:00:00.300",
        ["Gateway__Realtime__MaxMessageBytes"] = MaxClientMessageBytes.ToString(),
        // Budgets and spend caps of live sessions are checked every second instead of every five.
        ["Gateway__SessionLimits__BudgetCheckInterval"] = "00:00:01",
    };
}

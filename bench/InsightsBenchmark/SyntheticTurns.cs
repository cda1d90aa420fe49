using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Bench.InsightsBenchmark;

/// <summary>
/// Deterministic synthetic turns: 4 models (each with its own log-normal TTFA), 2 routes × 2 arms, 10 turns per
/// session, spread evenly over the hours of the range; one turn in ten played no audio (null TTFA).
/// </summary>
public static class SyntheticTurns
{
    public static readonly (string Model, string Provider, double MedianMs)[] Models =
    [
        ("gpt-realtime-2", "openai", 620), ("gpt-realtime-mini", "openai", 480),
        ("gemini-3.1-flash-live", "google", 540), ("gemini-2.5-flash-native-audio", "google", 710),
    ];

    private static readonly string?[] Routes = ["support", null];
    private static readonly string[] Arms = ["control", "treatment"];

    public static IEnumerable<TurnMeasured> ForHour(Guid tenantId, DateTimeOffset hour, int count, Random random)
    {
        for (var i = 0; i < count; i++)
        {
            var (model, provider, median) = Models[random.Next(Models.Length)];
            var route = Routes[random.Next(Routes.Length)];
            var arm = Arms[random.Next(Arms.Length)];
            var session = $"sess_{hour:yyyyMMddHH}_{model}_{route}_{arm}_{i / 10}";
            var at = hour.AddMilliseconds(random.Next(3_600_000));
            long? ttfa = random.Next(10) == 0 ? null : (long)Math.Round(median * Math.Exp(0.45 * Gaussian(random)));
            var firstText = (long)Math.Round(median * 0.6 * Math.Exp(0.4 * Gaussian(random)));
            var responseId = $"resp_{hour:yyyyMMddHH}_{i}";
            yield return new TurnMeasured(EventIds.For("bench-turn", tenantId.ToString(), responseId), tenantId, session,
                new QualityDimensions(model, provider, route, route is null ? null : "exp_bench", route is null ? null : arm), responseId, at,
                "server_vad", 1_000, ttfa, firstText, "completed", 2_400, random.Next(20) == 0, null, 0, []);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

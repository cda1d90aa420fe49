using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Sessions;

/// <summary>One session as the Gateway tells it: metadata, transcript, cost and quality, fetched in parallel.</summary>
public sealed class SessionDetailModel
{
    public required SessionSummary Session { get; init; }
    public Transcript? Transcript { get; init; }
    public SessionCost? Cost { get; init; }
    public SessionQuality? Quality { get; init; }
    public List<string> Problems { get; } = [];

    /// <returns>null when the Gateway knows no such session for this tenant (another tenant's is the same 404).</returns>
    public static async Task<SessionDetailModel?> LoadAsync(GatewayApi gateway, string id, CancellationToken ct)
    {
        var problems = new List<string>();
        async Task<T?> Try<T>(string what, Task<T?> call) where T : class
        {
            try { return await call; }
            catch (Exception e) when (e is GatewayApiException or HttpRequestException or TaskCanceledException)
            {
                lock (problems) problems.Add($"{what}: {e.Message}");
                return null;
            }
        }

        var session = gateway.GetSessionAsync(id, ct); // errors other than 404 propagate: the page cannot stand without it
        var transcript = Try("the transcript", gateway.GetTranscriptAsync(id, ct));
        var cost = Try("the cost", gateway.GetSessionCostAsync(id, ct));
        var quality = Try("the quality metrics", gateway.GetSessionQualityAsync(id, ct));
        await Task.WhenAll(transcript, cost, quality);
        if (await session is not { } found) return null;
        var model = new SessionDetailModel { Session = found, Transcript = transcript.Result, Cost = cost.Result, Quality = quality.Result };
        model.Problems.AddRange(problems);
        return model;
    }
}

using Npgsql;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Insights.Queries;

/// <summary>
/// An experiment's sessions with their per-session figures (the unit its statistics analyse), in session id order,
/// keyset-paginated by session id.
/// </summary>
public sealed class ExperimentSessionsQuery(NpgsqlDataSource dataSource)
{
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 5000;

    public async Task<ListExperimentSessionsResponse> ListAsync(Guid tenantId, string experimentId, int pageSize, string cursor,
        CancellationToken cancellationToken)
    {
        var limit = pageSize <= 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize);
        var facts = await SessionFactsReader.ReadAsync(dataSource,
            "WHERE s.tenant_id = @tenant AND s.experiment_id = @experiment AND s.session_id > @after ORDER BY s.session_id LIMIT @limit", p =>
            {
                p.AddWithValue("tenant", tenantId);
                p.AddWithValue("experiment", experimentId);
                p.AddWithValue("after", cursor);
                p.AddWithValue("limit", limit + 1);
            }, cancellationToken);

        var response = new ListExperimentSessionsResponse();
        foreach (var session in facts.Take(limit))
        {
            var row = new ExperimentSession
            {
                SessionId = session.SessionId,
                Arm = session.ExperimentArm ?? "",
                Turns = Math.Max(session.ConnectionTurns, session.TurnsMeasured),
                Interrupted = session.Interrupted,
                ErrorEnd = session.ErrorEnd,
                ToolFailure = session.AnyToolFailure,
                StartedAtUnixMs = session.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            };
            if (session.MeanResponseLatencyMs is { } ttfa) row.MeanResponseLatencyMs = ttfa;
            if (session.MeanFirstTextLatencyMs is { } firstText) row.MeanFirstTextLatencyMs = firstText;
            if (session.MeanToolLatencyMs is { } tool) row.MeanToolLatencyMs = tool;
            if (session.CostPerMinuteUsd is { } perMinute) row.CostPerMinuteUsd = perMinute;
            response.Sessions.Add(row);
        }
        if (facts.Count > limit) response.NextCursor = response.Sessions[^1].SessionId;
        return response;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;
using VoicePlatform.Tools.Execution;

namespace VoicePlatform.Tools.Tests.Execution;

public class ToolMetricsTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>
{
    private const string OrderArguments = """{"order_id":"A-42"}""";

    [Fact]
    public async Task Each_invocation_counts_once_and_is_timed_by_kind_and_outcome()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/ok", "{}");
        server.RespondJson("/fail", "{}", status: 500);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "works", server.Url("/ok"));
        await fixture.RegisterAsync(tenant, "fails", server.Url("/fail"));
        using var metrics = new ToolsMeasurements(fixture.Factory.Services.GetRequiredService<IMeterFactory>());

        Assert.Equal(ToolOutcome.Ok, (await fixture.ExecuteAsync(tenant, "works", OrderArguments)).Outcome);
        Assert.Equal([("webhook", "ok", 1L)], metrics.Invocations);

        Assert.Equal(ToolOutcome.WebhookError, (await fixture.ExecuteAsync(tenant, "fails", OrderArguments)).Outcome);
        Assert.Equal(ToolOutcome.InvalidArguments, (await fixture.ExecuteAsync(tenant, "works", "{}")).Outcome);
        Assert.Equal(ToolOutcome.NotFound, (await fixture.ExecuteAsync(tenant, "no_such_tool", "{}")).Outcome);
        Assert.Equal(ToolOutcome.Ok, (await fixture.ExecuteAsync(tenant, "get_current_time", """{"timezone":"UTC"}""")).Outcome);

        Assert.Equal(
            [("webhook", "ok", 1L), ("webhook", "webhook_error", 1L), ("webhook", "invalid_arguments", 1L), ("webhook", "not_found", 1L), ("built_in", "ok", 1L)],
            metrics.Invocations);
        // One latency sample per invocation, with the same tags.
        Assert.Equal(metrics.Invocations.Select(m => (m.Kind, m.Outcome)), metrics.Durations.Select(d => (d.Kind, d.Outcome)));
        Assert.All(metrics.Durations, d => Assert.True(d.Milliseconds >= 0));
    }

    /// <summary>
    /// Records the Tools meters of one service instance: only meters made by that instance's <see cref="IMeterFactory"/>,
    /// so other test classes' Tools instances running in parallel do not leak in.
    /// </summary>
    private sealed class ToolsMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Kind, string Outcome, long Value)> _invocations = new();
        private readonly ConcurrentQueue<(string Kind, string Outcome, double Milliseconds)> _durations = new();

        public ToolsMeasurements(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ToolMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "voiceplatform.tools.invocations") _invocations.Enqueue((Tag(tags, "tool.kind"), Tag(tags, "tool.outcome"), value));
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "voiceplatform.tools.duration") _durations.Enqueue((Tag(tags, "tool.kind"), Tag(tags, "tool.outcome"), value));
            });
            _listener.Start();
        }

        public IReadOnlyList<(string Kind, string Outcome, long Value)> Invocations => [.. _invocations];

        public IReadOnlyList<(string Kind, string Outcome, double Milliseconds)> Durations => [.. _durations];

        private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == name) return tag.Value as string ?? "";
            }
            return "";
        }

        public void Dispose() => _listener.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>The Router's set-up histogram: one measurement per phase and their total, tagged new or resumed.</summary>
public sealed class SessionMetricsTests
{
    [Fact]
    public void A_completed_set_up_records_each_phase_and_the_total_tagged_by_whether_it_resumed()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var scope = services.GetRequiredService<IMeterFactory>();
        var recorded = new ConcurrentQueue<(string Phase, bool Resumed, double Ms)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == "voiceplatform.router.sessions.setup.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? phase = null;
            bool? resumed = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "phase") phase = (string?)tag.Value;
                if (tag.Key == "resumed") resumed = (bool?)tag.Value;
            }
            recorded.Enqueue((phase!, resumed!.Value, value));
        });
        listener.Start();
        var metrics = new SessionMetrics(scope);

        metrics.SetupCompleted(resumed: false, TimeSpan.FromMilliseconds(1.5), TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(0.5));
        metrics.SetupCompleted(resumed: true, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(7), TimeSpan.Zero);

        Assert.Equal(
        [
            ("state", false, 1.5), ("provider", false, 4), ("tools", false, 0.5), ("total", false, 6),
            ("state", true, 3), ("provider", true, 7), ("tools", true, 0), ("total", true, 10),
        ], recorded.ToArray());
    }
}

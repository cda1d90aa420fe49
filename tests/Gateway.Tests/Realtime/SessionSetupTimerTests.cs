using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>
/// The Gateway's set-up histogram (<c>voiceplatform.gateway.realtime.setup.duration</c>): each phase lasts from the end
/// of the one before, the phases and the total are recorded together once session.created goes out, and a set-up
/// that never gets there records nothing.
/// </summary>
public sealed class SessionSetupTimerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Phase, double Ms)> _recorded = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly RealtimeMetrics _metrics;

    public SessionSetupTimerTests()
    {
        var scope = _services.GetRequiredService<IMeterFactory>();
        _metrics = new RealtimeMetrics(scope);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name == "voiceplatform.gateway.realtime.setup.duration") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "phase") _recorded.Enqueue(((string)tag.Value!, value));
        });
        _listener.Start();
    }

    [Fact]
    public void Each_phase_lasts_from_the_end_of_the_one_before_and_the_total_spans_them_all()
    {
        var setup = new SessionSetupTimer(_metrics, _clock);
        Step(1, SessionSetupTimer.Phase.Authenticate);
        Step(3, SessionSetupTimer.Phase.Admit);
        Step(2, SessionSetupTimer.Phase.Upgrade);
        Step(1, SessionSetupTimer.Phase.Prepare);
        Step(9, SessionSetupTimer.Phase.Router);
        Step(4, SessionSetupTimer.Phase.ResumeToken);
        Assert.Empty(_recorded); // nothing until session.created goes out
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        setup.Completed();

        Assert.Equal(
            [("authenticate", 1d), ("admit", 3d), ("upgrade", 2d), ("prepare", 1d), ("router", 9d), ("resume_token", 4d), ("deliver", 5d), ("total", 25d)],
            _recorded.ToArray());

        void Step(int milliseconds, SessionSetupTimer.Phase phase)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
            setup.Ended(phase);
        }
    }

    [Fact]
    public void A_set_up_is_recorded_once_and_one_that_never_completes_not_at_all()
    {
        var refused = new SessionSetupTimer(_metrics, _clock);
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        refused.Ended(SessionSetupTimer.Phase.Authenticate);
        refused.Ended(SessionSetupTimer.Phase.Admit);
        Assert.Empty(_recorded);

        var completed = new SessionSetupTimer(_metrics, _clock);
        completed.Completed();
        completed.Completed(); // an ephemeral key's held session.created and the path after it meet here
        Assert.Equal(8, _recorded.Count);
        Assert.Single(_recorded, r => r.Phase == "total");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}

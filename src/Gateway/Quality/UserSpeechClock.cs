using System.Text.Json;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// Puts the provider's voice-activity offsets on the session timeline. The provider reports speech in milliseconds of
/// the input audio it received (<c>audio_start_ms</c> including the prefix padding, <c>audio_end_ms</c> after the
/// silence window); this connection forwarded that audio, so the offset X is the X-th millisecond it forwarded, which
/// lies on the timeline where the call recording lays it (<see cref="CallerAudioLayout"/>: runs of contiguous chunks, a
/// new run after a gap, a delay closed when the audio after it came in a burst, but not past what the recorder has
/// finalised). Speech is
/// reported from its onset (start + prefix padding) to where it fell silent (end − silence window).
/// Only while the provider's clock is this connection's: after a Router failover (a new provider session counts from
/// zero) or an offset going backwards, nothing is reported, and transcripts keep the Router's timing.
/// </summary>
internal sealed class UserSpeechClock
{
    private const int MaxRuns = 4_096;
    private const double UnitsPerMs = 1_000; // the layout counts microseconds
    private static readonly RecordingOptions Recording = new();
    private readonly CallerAudioLayout _layout =
        new(Units(Recording.CallerJitterTolerance.TotalMilliseconds), Units(Recording.FinalizationDelay.TotalMilliseconds));
    private readonly List<(double InputMs, double AtMs)> _runs = [];
    private double _forwardedMs;
    private double _prefixPaddingMs;
    private double _silenceMs;
    private (string ItemId, double AudioStartMs)? _speech;
    private double _lastEndMs;
    private bool _trusted = true;

    /// <summary>Input audio forwarded at <paramref name="now"/>.</summary>
    public void Forwarded(double now, double durationMs)
    {
        if (durationMs <= 0) return;
        var (arrival, length) = (Units(now), Units(durationMs));
        var start = _layout.Start(arrival, 0, out var newRun);
        if (newRun)
        {
            if (_runs.Count == MaxRuns) _runs.RemoveRange(0, MaxRuns / 2); // a pathological client: forget the oldest half
            _runs.Add((_forwardedMs, start / UnitsPerMs));
        }
        var shift = _layout.Placed(start, length, arrival, 0);
        if (shift > 0) _runs[^1] = (_runs[^1].InputMs, _layout.RunStart / UnitsPerMs); // a burst closed the gap before its run
        _forwardedMs += durationMs;
    }

    /// <summary>session.created / session.updated: the turn detection in effect.</summary>
    public void Configured(JsonElement session)
    {
        if (!session.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.Object
            || !audio.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("turn_detection", out var detection)) return;
        _prefixPaddingMs = Number(detection, "prefix_padding_ms");
        _silenceMs = Number(detection, "silence_duration_ms");
    }

    public void SpeechStarted(JsonElement started)
    {
        if (!started.TryGetProperty("audio_start_ms", out var start) || !start.TryGetDouble(out var startMs)
            || !started.TryGetProperty("item_id", out var item) || item.ValueKind != JsonValueKind.String) return;
        if (startMs < _lastEndMs - _silenceMs) _trusted = false; // the provider's clock restarted
        _speech = (item.GetString()!, startMs);
    }

    /// <summary>
    /// The speech that just stopped (reported at <paramref name="now"/>), on the session timeline; null when it cannot be
    /// placed. Audio sent faster than real time is laid out ahead of the clock, as the recording lays it out; but the
    /// provider cannot have heard speech end after it said so, and a user turn must not end after its answer starts, so
    /// such a span is moved back to end at <paramref name="now"/> — but not to before its audio was forwarded, which
    /// would put it ahead of turns the user took earlier.
    /// </summary>
    public ItemPlayback? SpeechStopped(JsonElement stopped, double now)
    {
        if (_speech is not { } speech || !stopped.TryGetProperty("audio_end_ms", out var end) || !end.TryGetDouble(out var endMs)) return null;
        _speech = null;
        _lastEndMs = endMs;
        if (!_trusted || _runs.Count == 0 || _runs[0].InputMs > speech.AudioStartMs) return null;
        var onset = speech.AudioStartMs + _prefixPaddingMs;
        var silent = Math.Max(onset, endMs - _silenceMs);
        var (from, to) = (At(onset), At(silent));
        if (to > now) (from, to) = (Math.Min(now, Math.Max(from - (to - now), RunStart(onset))), now);
        return new ItemPlayback(speech.ItemId, ResponseMeasure.Ms(from), ResponseMeasure.Ms(to), false);
    }

    /// <summary>The session moved to another Router: its provider session counts input from zero.</summary>
    public void ProviderClockLost() => _trusted = false;

    private double At(double inputMs)
    {
        var (runInput, runAt) = RunOf(inputMs);
        return runAt + (inputMs - runInput);
    }

    /// <summary>When the run holding input millisecond <paramref name="inputMs"/> began: none of it was forwarded earlier.</summary>
    private double RunStart(double inputMs) => RunOf(inputMs).AtMs;

    private (double InputMs, double AtMs) RunOf(double inputMs) => _runs[Math.Max(0, _runs.FindLastIndex(r => r.InputMs <= inputMs))];

    private static long Units(double ms) => (long)Math.Round(ms * UnitsPerMs);

    private static double Number(JsonElement detection, string name) =>
        detection.ValueKind == JsonValueKind.Object && detection.TryGetProperty(name, out var value) && value.TryGetDouble(out var number) ? number : 0;
}

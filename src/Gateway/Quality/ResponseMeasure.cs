using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// One response as the client experienced it: which user turn it answers, when its first audio and text reached the
/// client's socket, and when its audio played (laid out at real-time pace the way the call recording lays it out), with
/// the largest stall of playback inside it. Times are milliseconds on the session timeline.
/// </summary>
internal sealed class ResponseMeasure(string responseId, PendingTurn? turn)
{
    private readonly List<ItemPlaybackSpan> _items = [];

    public string ResponseId { get; } = responseId;
    public PendingTurn? Turn { get; } = turn;
    public double? FirstAudioAt { get; private set; }
    public double? FirstTextAt { get; private set; }
    public double AudioOutMs { get; private set; }
    public double MaxStallMs { get; private set; }
    public string? Status { get; set; }
    public bool Interrupted { get; private set; }
    public double? InterruptedAfterMs { get; private set; }

    /// <summary>When the last audio of the response stops playing (truncation included); null before any audio.</summary>
    public double? PlaybackEnd => _items.Count == 0 ? null : _items[^1].End;

    public double? PlaybackStart => _items.Count == 0 ? null : _items[0].Start;

    /// <summary>
    /// A chunk written to the client at <paramref name="now"/>, which plays from <paramref name="playsFrom"/> (after
    /// whatever was queued before it) for <paramref name="durationMs"/>. A chunk that found playback already run dry
    /// stalled it for the difference.
    /// </summary>
    public void Audio(string itemId, double now, double playsFrom, double durationMs, double queuedUntil)
    {
        if (FirstAudioAt is null) FirstAudioAt = now;
        else if (now > queuedUntil) MaxStallMs = Math.Max(MaxStallMs, now - queuedUntil);
        AudioOutMs += durationMs;
        if (_items.Count == 0 || _items[^1].ItemId != itemId) _items.Add(new ItemPlaybackSpan(itemId, playsFrom));
        _items[^1].End = playsFrom + durationMs;
    }

    public void Text(double now) => FirstTextAt ??= now;

    /// <summary>The user started speaking at <paramref name="now"/> while this response's audio was still playing.</summary>
    public void BargeIn(double now)
    {
        if (Interrupted || PlaybackStart is not { } start) return;
        Interrupted = true;
        InterruptedAfterMs = Math.Max(0, now - start);
    }

    /// <summary>The client stopped playing <paramref name="itemId"/> <paramref name="audioEndMs"/> into it; returns the new end.</summary>
    public double? Truncate(string itemId, double audioEndMs)
    {
        var item = _items.FindLast(i => i.ItemId == itemId);
        if (item is null) return null;
        var end = item.Start + Math.Max(0, audioEndMs);
        if (end >= item.End) return null;
        item.End = end;
        item.Truncated = true;
        return end;
    }

    public bool HasItem(string itemId) => _items.Exists(i => i.ItemId == itemId);

    public IReadOnlyList<ItemPlayback> Items => [.. _items.Select(i => new ItemPlayback(i.ItemId, Ms(i.Start), Ms(i.End), i.Truncated))];

    public long? ResponseLatencyMs => Turn is { } turn && FirstAudioAt is { } audio ? Ms(audio - turn.AtMs) : null;

    public long? FirstTextLatencyMs => Turn is { } turn && FirstTextAt is { } text ? Ms(text - turn.AtMs) : null;

    public static long Ms(double value) => (long)Math.Round(Math.Max(0, value), MidpointRounding.AwayFromZero);

    private sealed class ItemPlaybackSpan(string itemId, double start)
    {
        public string ItemId { get; } = itemId;
        public double Start { get; } = start;
        public double End { get; set; } = start;
        public bool Truncated { get; set; }
    }
}

/// <summary>A user turn waiting for its answer: what ended it and when (session timeline, ms).</summary>
internal sealed record PendingTurn(string Trigger, double AtMs, ItemPlayback? UserSpeech = null);

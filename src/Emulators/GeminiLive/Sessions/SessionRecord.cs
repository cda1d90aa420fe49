using VoicePlatform.Emulators.GeminiLive.Recording;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>A session as it spans connections; guarded by its own lock.</summary>
internal sealed class SessionRecord(string id, string modelId, DateTimeOffset createdAt)
{
    public object Gate { get; } = new();
    public string Id { get; } = id;
    public string ModelId { get; } = modelId;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Connected time of previous connections (session caps count across resumptions).</summary>
    public TimeSpan ConnectedBefore { get; set; }
    public bool HasVideo { get; set; }

    /// <summary>The session hit its cap: it is over and its handles no longer resume.</summary>
    public bool Ended { get; set; }

    /// <summary>The connection currently serving the session; a resume is rejected while it is set.</summary>
    public string? ActiveConnection { get; set; }
    public DateTimeOffset? DetachedAt { get; set; }
    public string? LatestHandle { get; set; }

    /// <summary>The session's input audio record (Record:InputAudio), shared by its resumed connections.</summary>
    public InputAudioRecord? InputAudio { get; init; }
}

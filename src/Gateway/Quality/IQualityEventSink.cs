namespace VoicePlatform.Gateway.Quality;

/// <summary>Where a session's quality facts go (the Gateway's outbox, through <see cref="QualityEventQueue"/>).</summary>
public interface IQualityEventSink
{
    /// <summary>Never blocks the session: the event is queued; the sink owns delivery.</summary>
    void Publish(object qualityEvent);
}

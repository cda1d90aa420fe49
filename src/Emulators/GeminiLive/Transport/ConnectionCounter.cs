namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>Numbers connections so faults can target only the first N (e.g. fail once, then recover).</summary>
internal sealed class ConnectionCounter
{
    private long _count;

    public long Next() => Interlocked.Increment(ref _count);
}

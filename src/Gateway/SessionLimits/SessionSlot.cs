namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>A held concurrency slot: renewed by <see cref="SessionSlotRenewal"/> until disposed (the session ended).</summary>
public sealed class SessionSlot(SessionSlotOwner owner, SessionSlotRenewal renewal) : IAsyncDisposable
{
    public SessionSlotOwner Owner => owner;

    public ValueTask DisposeAsync() => renewal.ReleaseAsync(this);
}

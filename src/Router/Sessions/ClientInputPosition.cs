namespace VoicePlatform.Router.Sessions;

/// <summary>
/// The Gateway sequence number of the client frame being handed to the provider session right now. The relay sets it
/// before each hand-off (one reader loop), so a connector can tie provider-side state to client input — e.g. Gemini's
/// resumption handle covers input up to a known frame, and a re-attached session need not send that input again.
/// </summary>
public sealed class ClientInputPosition
{
    private long _seq;

    /// <summary>0 before the first frame (and for input that did not come from the Gateway).</summary>
    public ulong Seq
    {
        get => (ulong)Volatile.Read(ref _seq);
        set => Volatile.Write(ref _seq, (long)value);
    }
}

using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// How a response step takes the session gate. Inline responses run under the gate the caller already holds, so
/// entering is a no-op; paced responses take it per step, so client events interleave with the stream.
/// </summary>
internal sealed class ResponseGate(RealtimeSession session, bool inline)
{
    public async ValueTask<Lease> EnterAsync()
    {
        if (inline)
        {
            return default;
        }
        await session.Gate.WaitAsync(session.Aborted);
        if (session.IsClosing)
        {
            session.Gate.Release();
            throw new OperationCanceledException();
        }
        return new Lease(session.Gate);
    }

    public readonly struct Lease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

namespace VoicePlatform.Router.WarmUp;

/// <summary>What one provider's warm-up did: audio frames in, model audio frames out to the (discarded) Gateway stream.</summary>
public sealed record ProviderWarmUpResult(string Provider, int Sessions, int FramesSent, int AudioFramesReceived, int EventsReceived, string? Error)
{
    public bool Succeeded => Error is null && AudioFramesReceived > 0;

    /// <summary>Two rounds' figures together (the later round's error, if any, wins).</summary>
    public ProviderWarmUpResult Plus(ProviderWarmUpResult later) => new(Provider, Sessions + later.Sessions, FramesSent + later.FramesSent,
        AudioFramesReceived + later.AudioFramesReceived, EventsReceived + later.EventsReceived, later.Error ?? Error);
}

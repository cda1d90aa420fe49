namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// What synthetic sessions did: client messages the Gateway translated, frames serialised for the Router, and what went
/// back out to the (scripted) client as it saw it on its socket.
/// </summary>
public sealed record GatewayWarmUpResult(
    int Sessions,
    int MessagesTranslated,
    int FramesSerialised,
    int AudioDeltasSent,
    int EventsSent,
    int AudioDeltasReceived,
    int EventsReceived,
    long AudioBytesReceived,
    int SessionsRecorded,
    long RecordedBytes)
{
    public static GatewayWarmUpResult None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public GatewayWarmUpResult Plus(GatewayWarmUpResult other) => new(Sessions + other.Sessions,
        MessagesTranslated + other.MessagesTranslated, FramesSerialised + other.FramesSerialised,
        AudioDeltasSent + other.AudioDeltasSent, EventsSent + other.EventsSent,
        AudioDeltasReceived + other.AudioDeltasReceived, EventsReceived + other.EventsReceived,
        AudioBytesReceived + other.AudioBytesReceived, SessionsRecorded + other.SessionsRecorded, RecordedBytes + other.RecordedBytes);

    public override string ToString() =>
        $"{Sessions} sessions, {MessagesTranslated} client messages translated, {FramesSerialised} frames serialised, " +
        $"{AudioDeltasSent} audio deltas and {EventsSent} events sent, {SessionsRecorded} recordings ({RecordedBytes} bytes) in memory";
}

namespace VoicePlatform.Cli.Talk;

/// <summary>One <c>vp talk</c> turn: what to say (24 kHz mono PCM16, or text) and how the session is set up.</summary>
public sealed record TalkRequest(
    string Model,
    string? User,
    byte[]? Audio,
    string? Text,
    bool Transcribe,
    string? Instructions,
    bool Record,
    TimeSpan ReplyTimeout);

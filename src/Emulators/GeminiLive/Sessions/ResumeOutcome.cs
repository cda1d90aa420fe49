namespace VoicePlatform.Emulators.GeminiLive.Sessions;

internal enum ResumeOutcome
{
    Resumed,
    UnknownHandle,
    Expired,
    StillConnected,
    SessionEnded,
}

internal readonly record struct ResumeResult(ResumeOutcome Outcome, SessionRecord? Session, SessionSnapshot? Snapshot);

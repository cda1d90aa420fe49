using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>Posted by the receive loop when the client closed or the socket failed.</summary>
internal sealed record ClientGone(long Index, bool Graceful) : ClientMessage(Index);

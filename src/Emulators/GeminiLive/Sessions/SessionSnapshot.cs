using System.Collections.Immutable;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Recording;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The state a resumption handle restores, frozen when the handle was issued: replaying the client
/// messages after lastConsumedClientMessageIndex on top of it must not double-count anything.
/// InputAudio is the input audio record as it was then: the audio of every client message up to and including
/// lastConsumedClientMessageIndex (null when recording is off).
/// </summary>
internal sealed record SessionSnapshot(ImmutableArray<ConversationTurn> Turns, UsageNumbers CumulativeUsage, long NextCallNumber, InputAudioMark? InputAudio);

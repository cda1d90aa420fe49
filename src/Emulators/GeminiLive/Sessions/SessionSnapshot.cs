using System.Collections.Immutable;
using VoicePlatform.Emulators.GeminiLive.Model;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The state a resumption handle restores, frozen when the handle was issued: replaying the client
/// messages after lastConsumedClientMessageIndex on top of it must not double-count anything.
/// </summary>
internal sealed record SessionSnapshot(ImmutableArray<ConversationTurn> Turns, UsageNumbers CumulativeUsage, long NextCallNumber);

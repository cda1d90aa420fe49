using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>A parsed client message; Index is its position on this connection (lastConsumedClientMessageIndex).</summary>
internal abstract record ClientMessage(long Index);

internal sealed record SetupMessage(long Index, JsonElement Setup) : ClientMessage(Index);

internal sealed record ClientContentMessage(long Index, IReadOnlyList<ContentTurn> Turns, bool TurnComplete) : ClientMessage(Index);

internal sealed record AudioInput(long Index, byte[] Pcm, int SampleRate) : ClientMessage(Index);

internal sealed record VideoInput(long Index) : ClientMessage(Index);

internal sealed record TextInput(long Index, string Text) : ClientMessage(Index);

internal sealed record ActivityStartInput(long Index) : ClientMessage(Index);

internal sealed record ActivityEndInput(long Index) : ClientMessage(Index);

internal sealed record AudioStreamEndInput(long Index) : ClientMessage(Index);

/// <summary>Legacy realtimeInput.mediaChunks: several blobs in one message.</summary>
internal sealed record MediaChunksInput(long Index, IReadOnlyList<ClientMessage> Chunks) : ClientMessage(Index);

internal sealed record ToolResponseMessage(long Index, IReadOnlyList<FunctionResponseItem> Responses) : ClientMessage(Index);

internal sealed record ContextUpdateMessage(long Index, JsonElement Update) : ClientMessage(Index);

/// <summary>A message the real service would refuse: the connection closes with this directive.</summary>
internal sealed record InvalidMessage(long Index, CloseDirective Close) : ClientMessage(Index);

/// <summary>One Content of clientContent.turns, reduced to what the deterministic model needs.</summary>
internal sealed record ContentTurn(string Role, string Text, double AudioSeconds, int Images);

internal sealed record FunctionResponseItem(string? Id, string Name, JsonElement Response, string? SiblingScheduling, bool WillContinue);

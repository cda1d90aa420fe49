using System.Text.Json.Nodes;

namespace VoicePlatform.Emulators.DemoToolCalls;

/// <summary>The call the demo behaviour makes: which tool, with the arguments it could fill from the utterance.</summary>
public sealed record DemoToolCall(string Name, JsonObject Arguments);

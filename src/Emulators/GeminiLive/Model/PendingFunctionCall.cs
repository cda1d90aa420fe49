using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>A function call the model issued and is waiting on (BLOCKING) or expects later (NON_BLOCKING).</summary>
internal sealed record PendingFunctionCall(string Id, string Name, JsonElement Args, bool NonBlocking);

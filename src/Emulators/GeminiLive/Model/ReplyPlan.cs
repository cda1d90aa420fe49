using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>What the deterministic model decided to do with a user turn.</summary>
internal abstract record ReplyPlan;

internal sealed record SpeakPlan(string Text) : ReplyPlan;

internal sealed record ToolCallPlan(string Name, JsonElement Args, bool NonBlocking) : ReplyPlan;

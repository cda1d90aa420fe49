using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>What the deterministic model decided to do with a user turn.</summary>
internal abstract record ReplyPlan;

internal sealed record SpeakPlan(string Text) : ReplyPlan;

internal sealed record ToolCallPlan(string Name, JsonElement Args, bool NonBlocking) : ReplyPlan;

/// <summary>Parallel function calls: one <c>toolCall</c> message with a functionCall per call, in order.</summary>
internal sealed record ParallelToolCallsPlan(IReadOnlyList<ToolCallPlan> Calls) : ReplyPlan;

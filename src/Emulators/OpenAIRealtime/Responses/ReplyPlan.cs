namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>What the deterministic model decided to produce for one response.</summary>
internal abstract record ReplyPlan;

/// <summary>An assistant message (spoken or text, per the response's modalities).</summary>
internal sealed record SpeakPlan(string Text) : ReplyPlan;

/// <summary>A function_call output item.</summary>
internal sealed record ToolCallPlan(string Name, string Arguments) : ReplyPlan;

/// <summary>Parallel function calls: one function_call output item per call, in order, in the same response.</summary>
internal sealed record ParallelToolCallsPlan(IReadOnlyList<ToolCallPlan> Calls) : ReplyPlan;

using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Router.Tools;

/// <summary>A function call the model made to a server-side tool (from a completed response's output), with the tool's definition.</summary>
internal sealed record ServerToolCall(string CallId, string Name, string Arguments, ToolDefinition? Tool = null);

namespace VoicePlatform.Router.Tools;

/// <summary>A function call the model made to a server-side tool (from a completed response's output).</summary>
internal sealed record ServerToolCall(string CallId, string Name, string Arguments);

namespace VoicePlatform.Tools.Execution;

/// <summary>A model's call of a tool in a session. <paramref name="ArgumentsJson"/> is the model's JSON text.</summary>
public sealed record ToolCall(Guid TenantId, string SessionId, string CallId, string ToolName, string ArgumentsJson);

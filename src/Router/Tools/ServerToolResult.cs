using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Router.Tools;

/// <summary>What a server-side call produced: the output for the model, and whether the session must end after the reply.</summary>
internal sealed record ServerToolResult(ServerToolCall Call, string OutputJson, string Outcome, ToolAction Action)
{
    public bool Cancelled => Outcome == "cancelled";
}

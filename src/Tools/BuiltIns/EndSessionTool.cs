using System.Text.Json;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.BuiltIns;

/// <summary>
/// <c>end_session</c>: the assistant ends the call. The Tools service only answers with
/// <see cref="ToolAction.EndSession"/>; the Router closes the session once the assistant's current utterance is done.
/// </summary>
public sealed class EndSessionTool : IBuiltInTool
{
    public string Name => BuiltInTools.EndSession;

    // The reason is the model's words about the user's conversation.
    public bool Loggable => false;

    public BuiltInToolResult Run(JsonElement arguments) => new(
        ToolOutcome.Ok,
        """{"ok":true,"action":"end_session","message":"The session will end after your current reply. Say goodbye briefly."}""",
        ToolAction.EndSession);
}

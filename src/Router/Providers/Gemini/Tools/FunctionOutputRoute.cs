namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Where a client's function_call_output goes (see <see cref="GeminiFunctionCalls.Output"/>).</summary>
public enum FunctionOutputRoute
{
    /// <summary>Gemini waits for it: it goes up in the next toolResponse.</summary>
    ToolResponse,

    /// <summary>Its call was made on a connection that is gone: it goes up as context text with the next turn.</summary>
    ContextText,

    /// <summary>No Gemini session waits for it (a client-created call, or one Gemini cancelled): local history only.</summary>
    LocalOnly,
}

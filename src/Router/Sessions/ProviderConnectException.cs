namespace VoicePlatform.Router.Sessions;

/// <summary>The provider refused or dropped the connection before the session was usable.</summary>
public sealed class ProviderConnectException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>OpenAI-style error code for the client (<c>provider_unavailable</c>, <c>invalid_api_key</c>, ...).</summary>
    public string Code { get; } = code;
}

using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>How a Gemini connection ended. Gemini reports errors as close frames (1007 / 1008 / 1011), never JSON.</summary>
public readonly record struct UpstreamClose(int Code, string Reason)
{
    /// <summary>The socket failed without a close frame (network drop, abort).</summary>
    public const int Abnormal = 1006;

    public override string ToString() => Reason.Length == 0 ? Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Code} {Reason}";

    /// <summary>The error a refused connect maps to: key problems → <c>invalid_api_key</c>, everything else → <c>provider_unavailable</c>.</summary>
    public ProviderConnectException ToConnectException(Exception? inner = null)
    {
        var keyProblem = Reason.Contains("API key", StringComparison.OrdinalIgnoreCase)
            || Reason.Contains("access token", StringComparison.OrdinalIgnoreCase);
        return new ProviderConnectException(keyProblem ? "invalid_api_key" : "provider_unavailable",
            $"Gemini Live refused the session ({this}).", inner);
    }
}

/// <summary>
/// Carried as the inner exception of the <see cref="ProviderConnectException"/> a refused setup throws, so the
/// connector can tell a refused resumption handle (1007) from a resume while the old socket is open (1011).
/// </summary>
internal sealed class UpstreamClosedException(UpstreamClose close) : Exception($"Gemini Live closed the connection ({close}).")
{
    public UpstreamClose Close { get; } = close;

    public static UpstreamClose? CloseOf(Exception exception) => (exception.InnerException as UpstreamClosedException)?.Close;
}

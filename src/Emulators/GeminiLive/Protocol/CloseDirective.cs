using System.Text;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>Errors reach the client as WebSocket close frames, never as JSON events.</summary>
internal sealed record CloseDirective(int Code, string Reason)
{
    public const string InvalidArgument = "Request contains an invalid argument.";
    public const string InternalError = "Internal error occurred.";
    public const string ApiKeyInvalid = "API key not valid. Please pass a valid API key.";

    public static CloseDirective Invalid(string reason = InvalidArgument) => new(1007, reason);
    public static CloseDirective Policy(string reason) => new(1008, reason);

    /// <summary>Close reasons are limited to 123 UTF-8 bytes; the real service truncates too.</summary>
    public string TruncatedReason
    {
        get
        {
            if (Encoding.UTF8.GetByteCount(Reason) <= 123)
            {
                return Reason;
            }

            var chars = Reason.Length;
            while (chars > 0 && Encoding.UTF8.GetByteCount(Reason.AsSpan(0, chars)) > 123)
            {
                chars--;
            }

            if (chars > 0 && char.IsHighSurrogate(Reason[chars - 1]))
            {
                chars--;
            }

            return Reason[..chars];
        }
    }
}

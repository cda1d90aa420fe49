using Microsoft.Net.Http.Headers;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>Finds the key a client presented: <c>Authorization: Bearer</c>, or the browser WebSocket subprotocol form.</summary>
public static class TenantKeyReader
{
    public const string SubprotocolKeyPrefix = "openai-insecure-api-key.";

    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();

        foreach (var header in request.Headers[HeaderNames.SecWebSocketProtocol])
        {
            foreach (var protocol in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(SubprotocolKeyPrefix, StringComparison.Ordinal))
                    return protocol[SubprotocolKeyPrefix.Length..];
            }
        }
        return null;
    }
}

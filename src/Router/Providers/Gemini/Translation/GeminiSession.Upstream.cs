using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Gemini server messages and connection ends, taken under the gate (<see cref="GeminiServerDispatch"/>).</summary>
internal sealed partial class GeminiSession
{
    private ValueTask OnUpstreamMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Gemini session {SessionId}: unparsable server message ignored: {Message}", _context.SessionId, ex.Message);
            return;
        }

        using (document)
        {
            await _server.HandleAsync(GeminiServerMessage.Read(document.RootElement));
        }
    });

    private ValueTask OnUpstreamClosedAsync(GeminiConnection connection, UpstreamClose close) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        if (await _switches.ConnectionClosedAsync(connection, close))
        {
            return;
        }

        _logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped: {Close}", _context.SessionId, connection.Number, close);
        var code = close.ToConnectException().Code;
        await FailAsync(code, $"The model provider closed the connection ({close}).");
    });
}

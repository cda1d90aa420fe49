using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Client events other than audio: parsed once, then applied under the gate (<see cref="GeminiClientRequests"/>).</summary>
internal sealed partial class GeminiSession
{
    public async ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        _link.CoveredInput.Handing(inputSeq);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            await UnderGateAsync(() => _clientEvents.EmitErrorAsync(new ClientError("invalid_json",
                $"We could not parse the JSON body of your request. ({ex.Message})", null), null));
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var eventId = ClientJson.OptionalString(root, "event_id");
            var type = ClientJson.OptionalString(root, "type");
            await UnderGateAsync(async () =>
            {
                if (await _requests.ApplyAsync(type, root) is { } error)
                {
                    await _clientEvents.EmitErrorAsync(error, eventId);
                }
            });
        }
    }
}

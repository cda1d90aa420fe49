using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// OpenAI's part of the relay warm-up: a scripted Realtime GA peer (session.created, session.updated, replayed items
/// confirmed, and responses of one audio delta per input_audio_buffer.append, each closed after
/// <see cref="DeltasPerResponse"/> deltas) and a real <see cref="OpenAISession"/> pointed at it.
/// </summary>
public sealed class OpenAIWarmUp(IOptionsMonitor<OpenAIProviderOptions> options, ILoggerFactory loggers) : IProviderWarmUp
{
    private const int DeltasPerResponse = 25;
    private static readonly byte[] ModelAudio = ScriptedPeerSocket.QuietTone(24_000);

    public string Provider => "openai";

    public Task<IProviderSession> ConnectAsync(Uri baseUrl, ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        var current = options.Get(Provider);
        var settings = new OpenAIProviderOptions
        {
            BaseUrl = baseUrl.ToString(),
            ApiKey = "warm-up",
            ConnectTimeout = current.ConnectTimeout,
            MaxMessageBytes = current.MaxMessageBytes,
        };
        return OpenAIConnector.OpenAsync(context, settings, sink, loggers, cancellationToken);
    }

    public async Task ServeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var peer = new ScriptedPeerSocket(socket);
        var events = 0;
        await SendSessionAsync(peer, "session.created", NextId(ref events), cancellationToken);

        var responses = 0;
        var deltas = 0;
        string? response = null;
        while (true)
        {
            var message = await peer.ReceiveAsync(cancellationToken);
            if (message.IsEmpty) return;
            switch (RealtimeEventType.Read(message.Span))
            {
                case "session.update":
                    await SendSessionAsync(peer, "session.updated", NextId(ref events), cancellationToken);
                    break;
                case "conversation.item.create":
                    // A resumed session replays its history and waits for each item to be confirmed.
                    using (var create = JsonDocument.Parse(message))
                    {
                        var item = create.RootElement.GetProperty("item");
                        foreach (var type in (string[])["conversation.item.added", "conversation.item.done"])
                        {
                            await peer.SendAsync((Id: NextId(ref events), Type: type, Item: item), static (w, s) =>
                            {
                                w.WriteStartObject();
                                w.WriteString("type", s.Type);
                                w.WriteString("event_id", s.Id);
                                w.WriteNull("previous_item_id");
                                w.WritePropertyName("item");
                                s.Item.WriteTo(w);
                                w.WriteEndObject();
                            }, cancellationToken);
                        }
                    }
                    break;
                case "input_audio_buffer.append":
                    if (response is null)
                    {
                        response = $"resp_warmup{++responses}";
                        await SendResponseAsync(peer, "response.created", NextId(ref events), response, "in_progress", cancellationToken);
                    }
                    await peer.SendAsync((Id: NextId(ref events), Response: response), static (w, s) =>
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "response.output_audio.delta");
                        w.WriteString("event_id", s.Id);
                        w.WriteString("response_id", s.Response);
                        w.WriteString("item_id", "item_" + s.Response);
                        w.WriteNumber("output_index", 0);
                        w.WriteNumber("content_index", 0);
                        w.WriteBase64String("delta", ModelAudio);
                        w.WriteEndObject();
                    }, cancellationToken);
                    if (++deltas % DeltasPerResponse == 0)
                    {
                        await SendResponseAsync(peer, "response.done", NextId(ref events), response, "completed", cancellationToken);
                        response = null;
                    }
                    break;
            }
        }
    }

    private static string NextId(ref int events) => $"event_warmup{++events}";

    private static ValueTask SendSessionAsync(ScriptedPeerSocket peer, string type, string eventId, CancellationToken cancellationToken) =>
        peer.SendAsync((Type: type, Id: eventId), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", s.Type);
            w.WriteString("event_id", s.Id);
            w.WritePropertyName("session");
            WriteSession(w);
            w.WriteEndObject();
        }, cancellationToken);

    private static void WriteSession(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "realtime");
        w.WriteString("object", "realtime.session");
        w.WriteString("id", "sess_warmup");
        w.WriteString("model", "warm-up");
        w.WriteNumber("expires_at", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        w.WriteStartArray("output_modalities");
        w.WriteStringValue("audio");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ValueTask SendResponseAsync(ScriptedPeerSocket peer, string type, string eventId, string response, string status,
        CancellationToken cancellationToken) =>
        peer.SendAsync((Type: type, Id: eventId, Response: response, Status: status), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", s.Type);
            w.WriteString("event_id", s.Id);
            w.WriteStartObject("response");
            w.WriteString("object", "realtime.response");
            w.WriteString("id", s.Response);
            w.WriteString("status", s.Status);
            w.WriteStartArray("output");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }, cancellationToken);
}

using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.WarmUp;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Gemini's part of the relay warm-up: a scripted BidiGenerateContent peer (setupComplete and a resumption handle,
/// then one 20 ms chunk of model audio per realtimeInput message, the turn completed every <see cref="ChunksPerTurn"/>
/// chunks) and a real <see cref="GeminiSession"/> pointed at it.
/// </summary>
public sealed class GeminiWarmUp(IOptionsMonitor<GeminiProviderOptions> options, ILogger<GeminiConnector> logger) : IProviderWarmUp
{
    private const int ChunksPerTurn = 25;
    private static readonly byte[] ModelAudio = ScriptedPeerSocket.QuietTone(24_000);

    public string Provider => "google";

    public async Task<IProviderSession> ConnectAsync(Uri baseUrl, ProviderSessionContext context, ISessionEventSink sink, CancellationToken cancellationToken)
    {
        var current = options.Get(Provider);
        var settings = new GeminiProviderOptions
        {
            BaseUrl = baseUrl.ToString(),
            ApiKey = "warm-up",
            ApiVersion = current.ApiVersion,
            ConnectTimeout = current.ConnectTimeout,
            SetupTimeout = current.SetupTimeout,
            DefaultVoice = current.DefaultVoice,
            TransparentResumption = current.TransparentResumption,
            Vad = current.Vad,
        };
        return await GeminiSession.StartAsync(context, sink, settings, GeminiEndpoint.For(settings, tokens: null), logger, cancellationToken);
    }

    public async Task ServeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var peer = new ScriptedPeerSocket(socket);
        if ((await peer.ReceiveAsync(cancellationToken)).IsEmpty) return; // the setup
        await peer.SendAsync(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("setupComplete");
            w.WriteEndObject();
            w.WriteEndObject();
        }, cancellationToken);
        var handles = 0;
        await SendHandleAsync(peer, ++handles, cancellationToken);

        var chunks = 0;
        while (true)
        {
            var message = await peer.ReceiveAsync(cancellationToken);
            if (message.IsEmpty) return;
            if (!IsRealtimeInput(message.Span)) continue;
            await peer.SendAsync(0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("serverContent");
                w.WriteStartObject("modelTurn");
                w.WriteStartArray("parts");
                w.WriteStartObject();
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", "audio/pcm;rate=24000");
                w.WriteBase64String("data", ModelAudio);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }, cancellationToken);
            if (++chunks % ChunksPerTurn != 0) continue;
            await peer.SendAsync(0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("serverContent");
                w.WriteBoolean("generationComplete", true);
                w.WriteEndObject();
                w.WriteEndObject();
            }, cancellationToken);
            await peer.SendAsync(chunks, static (w, n) =>
            {
                w.WriteStartObject();
                w.WriteStartObject("serverContent");
                w.WriteBoolean("turnComplete", true);
                w.WriteEndObject();
                w.WriteStartObject("usageMetadata");
                w.WriteNumber("promptTokenCount", n);
                w.WriteNumber("responseTokenCount", ChunksPerTurn);
                w.WriteNumber("totalTokenCount", n + ChunksPerTurn);
                w.WriteEndObject();
                w.WriteEndObject();
            }, cancellationToken);
            await SendHandleAsync(peer, ++handles, cancellationToken);
        }
    }

    private static ValueTask SendHandleAsync(ScriptedPeerSocket peer, int number, CancellationToken cancellationToken) =>
        peer.SendAsync(number, static (w, n) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("sessionResumptionUpdate");
            w.WriteString("newHandle", $"warmup-handle-{n}");
            w.WriteBoolean("resumable", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }, cancellationToken);

    private static bool IsRealtimeInput(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read()
            && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("realtimeInput"u8);
    }
}

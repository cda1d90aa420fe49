using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// One response's lifecycle (protocol §6): response.created → output_item.added → conversation.item.added →
/// content_part.added → interleaved transcript/audio deltas → *.done → response.done → rate_limits.updated.
/// <para>
/// Unpaced ("inline") responses run to completion while the triggering client event is handled, under the
/// session gate the caller already holds. Paced responses run as a task that takes the gate per step, so
/// client events (cancel, barge-in audio) interleave with the stream exactly as they would against the real service.
/// </para>
/// The output items, the message and function-call streams and the usage meter are the parts it owns; this class
/// keeps the status and the response object (response.created/done).
/// </summary>
internal sealed class ActiveResponse
{
    private readonly RealtimeSession _s;
    private readonly ResponseGate _gate;
    private readonly ResponseOutputItems _output;
    private readonly ResponseUsageMeter _usage;
    private readonly MessageStreamer _message;
    private readonly FunctionCallStreamer _functionCall;
    private readonly Task _replyDelay;

    private string? _statusReason;

    public ActiveResponse(RealtimeSession session, ResponseParameters parameters, ReplyPlan plan, bool inline, int cachedTokens)
    {
        _s = session;
        Parameters = parameters;
        Plan = plan;
        Id = session.Ids.Next("resp");
        _gate = new ResponseGate(session, inline);
        _output = new ResponseOutputItems(session, Id, parameters);
        _usage = new ResponseUsageMeter(parameters, cachedTokens);
        _message = new MessageStreamer(session, this, _output, _usage, _gate);
        _functionCall = new FunctionCallStreamer(session, this, _output, _usage, _gate);
        // Armed now, before response.created is sent, so the delay runs from response.created whenever RunAsync starts.
        var replyDelay = session.Options.ReplyDelayFor(session.Config.Model);
        _replyDelay = replyDelay > TimeSpan.Zero ? Task.Delay(replyDelay, session.Time, session.Aborted) : Task.CompletedTask;
    }

    public string Id { get; }
    public ResponseParameters Parameters { get; }
    public ReplyPlan Plan { get; }
    public string Status { get; private set; } = "in_progress";
    public bool Finished { get; private set; }
    public bool IsLoopback { get; init; }

    public ResponseUsage Usage => _usage.Usage;

    private string? ConversationId => Parameters.OutOfBand ? null : _s.Conversation.Id;

    public async ValueTask EmitCreatedAsync()
    {
        var w = _s.Writer.Start("response.created"u8);
        w.WritePropertyName("response"u8);
        WriteResponse(w);
        await _s.SendAsync();
    }

    /// <summary>Streams the planned output; returns when the response is done (or was cancelled meanwhile).</summary>
    public async Task RunAsync()
    {
        try
        {
            await _replyDelay;
            switch (Plan)
            {
                case SpeakPlan speak:
                    await _message.SpeakAsync(speak.Text);
                    break;
                case ToolCallPlan call:
                    await _functionCall.CallToolAsync(call);
                    break;
                case ParallelToolCallsPlan parallel:
                    // One item after the other, as the real service streams parallel calls.
                    foreach (var call in parallel.Calls)
                    {
                        await _functionCall.CallToolAsync(call);
                    }
                    break;
            }
            using (await _gate.EnterAsync())
            {
                if (!Finished)
                {
                    if (_usage.TruncatedByMaxTokens)
                    {
                        Status = "incomplete";
                        _statusReason = "max_output_tokens";
                    }
                    else
                    {
                        Status = "completed";
                    }
                    await FinishAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Session closing: nothing more may be sent.
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The client went away mid-stream; the receive loop ends the session.
        }
    }

    /// <summary>Cancels from a client event or barge-in; the caller holds the gate.</summary>
    public async ValueTask CancelAsync(string reason)
    {
        if (Finished)
        {
            return;
        }
        if (_output.Current is not null && _output.Current.Status == "in_progress")
        {
            await _output.CloseCurrentAsync("incomplete");
        }
        Status = "cancelled";
        _statusReason = reason;
        await FinishAsync();
    }

    // ---- loopback: echo every appended chunk inside one long-running response ----

    public async ValueTask OpenLoopbackAsync()
    {
        await _output.OpenMessageAsync(audio: true);
    }

    /// <summary>Sends one client chunk back verbatim (base64 text copied, never decoded, when formats match).</summary>
    public ValueTask EchoAsync(ReadOnlyMemory<byte> base64Utf8, int decodedBytes, AudioFormat inputFormat) =>
        _message.EchoAsync(base64Utf8, decodedBytes, inputFormat);

    public ValueTask EchoTranscodedAsync(byte[] audio) => _message.EchoTranscodedAsync(audio);

    public async ValueTask CompleteLoopbackAsync()
    {
        if (Finished)
        {
            return;
        }
        await _output.CloseCurrentAsync("completed");
        Status = "completed";
        await FinishAsync();
    }

    private async ValueTask FinishAsync()
    {
        Finished = true;
        var w = _s.Writer.Start("response.done"u8);
        w.WritePropertyName("response"u8);
        WriteResponse(w);
        await _s.SendAsync();
        await _s.Responses.OnFinishedAsync(this);
    }

    private void WriteResponse(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("object"u8, "realtime.response"u8);
        w.WriteString("id"u8, Id);
        w.WriteString("status"u8, Status);
        if (_statusReason is null)
        {
            w.WriteNull("status_details"u8);
        }
        else
        {
            w.WriteStartObject("status_details"u8);
            w.WriteString("type"u8, Status);
            w.WriteString("reason"u8, _statusReason);
            w.WriteNull("error"u8);
            w.WriteEndObject();
        }
        w.WriteStartArray("output"u8);
        foreach (var item in _output.Items)
        {
            item.WriteTo(w);
        }
        w.WriteEndArray();
        if (ConversationId is null) w.WriteNull("conversation_id"u8); else w.WriteString("conversation_id"u8, ConversationId);
        w.WriteStartArray("output_modalities"u8);
        foreach (var m in Parameters.OutputModalities)
        {
            w.WriteStringValue(m);
        }
        w.WriteEndArray();
        SessionConfig.WriteMaxOutputTokens(w, Parameters.MaxOutputTokens);
        w.WriteStartObject("audio"u8);
        w.WriteStartObject("output"u8);
        w.WritePropertyName("format"u8);
        Parameters.OutputFormat.WriteTo(w);
        w.WritePropertyName("voice"u8);
        Parameters.Voice.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("usage"u8);
        if (Finished) Usage.WriteTo(w); else w.WriteNullValue();
        w.WritePropertyName("metadata"u8);
        if (Parameters.Metadata is null) w.WriteNullValue(); else Parameters.Metadata.WriteTo(w);
        w.WriteEndObject();
    }
}

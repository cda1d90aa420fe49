using System.Buffers;
using System.Text;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
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
/// </summary>
internal sealed class ActiveResponse
{
    // Varying chunk sizes, like the real service's audio deltas.
    private static readonly int[] ChunkMs = [100, 160, 220, 140, 180];
    private const string ObfuscationAlphabet = "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8";

    private readonly RealtimeSession _s;
    private readonly bool _inline;
    private readonly List<ConversationItem> _output = [];
    private readonly (int Text, int Audio, int Image) _input;
    private readonly int _cached;
    private readonly StringBuilder _transcript = new();
    private readonly Task _replyDelay;

    private ConversationItem? _item;
    private ContentPart? _part;
    private bool _partOpen;
    private string? _statusReason;
    private int _outputTextTokens;
    private double _outputAudioMs;
    private bool _truncatedByMaxTokens;

    public ActiveResponse(RealtimeSession session, ResponseParameters parameters, ReplyPlan plan, bool inline, int cachedTokens)
    {
        _s = session;
        _inline = inline;
        Parameters = parameters;
        Plan = plan;
        Id = session.Ids.Next("resp");
        _input = UsageCalculator.Input(parameters);
        _cached = Math.Min(cachedTokens, _input.Text + _input.Audio);
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

    public ResponseUsage Usage => new(_input.Text, _input.Audio, _input.Image, _cached, _outputTextTokens,
        UsageCalculator.AssistantAudioTokens(_outputAudioMs));

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
                    await SpeakAsync(speak.Text);
                    break;
                case ToolCallPlan call:
                    await CallToolAsync(call);
                    break;
                case ParallelToolCallsPlan parallel:
                    // One item after the other, as the real service streams parallel calls.
                    foreach (var call in parallel.Calls)
                    {
                        await CallToolAsync(call);
                    }
                    break;
            }
            using (await EnterAsync())
            {
                if (!Finished)
                {
                    if (_truncatedByMaxTokens)
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
        if (_item is not null && _item.Status == "in_progress")
        {
            await CloseItemAsync("incomplete");
        }
        Status = "cancelled";
        _statusReason = reason;
        await FinishAsync();
    }

    // ---- loopback: echo every appended chunk inside one long-running response ----

    public async ValueTask OpenLoopbackAsync()
    {
        await OpenMessageAsync(audio: true);
    }

    /// <summary>Sends one client chunk back verbatim (base64 text copied, never decoded, when formats match).</summary>
    public async ValueTask EchoAsync(ReadOnlyMemory<byte> base64Utf8, int decodedBytes, AudioFormat inputFormat)
    {
        _outputAudioMs += inputFormat.DurationMs(decodedBytes);
        _s.MarkAssistantAudio();
        var w = StartContentEvent("response.output_audio.delta"u8);
        w.WriteString("delta"u8, base64Utf8.Span);
        await _s.SendAsync();
    }

    public async ValueTask EchoTranscodedAsync(byte[] audio)
    {
        _outputAudioMs += Parameters.OutputFormat.DurationMs(audio.Length);
        _s.MarkAssistantAudio();
        var w = StartContentEvent("response.output_audio.delta"u8);
        w.WriteBase64String("delta"u8, audio);
        await _s.SendAsync();
    }

    public async ValueTask CompleteLoopbackAsync()
    {
        if (Finished)
        {
            return;
        }
        await CloseItemAsync("completed");
        Status = "completed";
        await FinishAsync();
    }

    // ---- message output ----

    private async Task SpeakAsync(string text)
    {
        text = ApplyMaxOutputTokens(text);
        using (await EnterAsync())
        {
            if (Finished)
            {
                return;
            }
            await OpenMessageAsync(Parameters.Audio);
        }

        var format = Parameters.OutputFormat;
        var words = SplitWords(text);
        var factor = _s.Options.ResponseRealtimeFactor;
        var msPerChar = _s.Options.ReplyMsPerCharacter / Parameters.Speed;

        if (!Parameters.Audio)
        {
            foreach (var word in words)
            {
                using (await EnterAsync())
                {
                    if (Finished) return;
                    await EmitTextDeltaAsync(word);
                }
                if (factor > 0) await Task.Delay(TimeSpan.FromMilliseconds(word.Length * msPerChar / factor), _s.Aborted);
            }
        }
        else
        {
            var total = SpeechSynthesizer.SampleCount(text.Length * msPerChar, format.SampleRate);
            // Word i is "spoken" from the point its first character is reached; its transcript delta goes out
            // just before the audio chunk that starts there, so text leads audio slightly, as in the real stream.
            var wordStarts = new long[words.Count];
            var chars = 0;
            for (var i = 0; i < words.Count; i++)
            {
                wordStarts[i] = text.Length == 0 ? 0 : total * chars / text.Length;
                chars += words[i].Length;
            }
            var nextWord = 0;
            long position = 0;
            var chunkIndex = 0;
            while (position < total || nextWord < words.Count)
            {
                var end = Math.Min(total, position + SpeechSynthesizer.SampleCount(ChunkMs[chunkIndex++ % ChunkMs.Length], format.SampleRate));
                using (await EnterAsync())
                {
                    if (Finished) return;
                    while (nextWord < words.Count && (wordStarts[nextWord] <= position || end >= total))
                    {
                        await EmitTranscriptDeltaAsync(words[nextWord++]);
                    }
                    if (end > position)
                    {
                        await EmitAudioChunkAsync(position, end, total);
                    }
                }
                if (factor > 0 && end > position)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds((end - position) * 1000.0 / format.SampleRate / factor), _s.Aborted);
                }
                position = end;
            }
        }

        using (await EnterAsync())
        {
            if (!Finished)
            {
                await CloseItemAsync(_truncatedByMaxTokens ? "incomplete" : "completed");
            }
        }
    }

    private async ValueTask OpenMessageAsync(bool audio)
    {
        var item = new ConversationItem { Id = _s.Ids.Next("item"), Type = "message", Role = "assistant", Status = "in_progress" };
        await AddOutputItemAsync(item);
        _part = audio
            ? new ContentPart { Type = "output_audio", Transcript = "", Audio = new AudioClip(Parameters.OutputFormat) }
            : new ContentPart { Type = "output_text", Text = "" };
        item.Content.Add(_part);
        _partOpen = true;

        var w = StartContentEvent("response.content_part.added"u8);
        WritePart(w);
        await _s.SendAsync();
    }

    private async ValueTask EmitTranscriptDeltaAsync(string delta)
    {
        _transcript.Append(delta);
        _part!.Transcript = _transcript.ToString();
        _outputTextTokens = UsageCalculator.TextTokens(_part.Transcript);
        var w = StartContentEvent("response.output_audio_transcript.delta"u8);
        w.WriteString("delta"u8, delta);
        // Real deltas carry an undocumented padding field; tolerant parsers must ignore it.
        w.WriteString("obfuscation"u8, ObfuscationAlphabet.AsSpan(0, Math.Max(1, ObfuscationAlphabet.Length - delta.Length % ObfuscationAlphabet.Length)));
        await _s.SendAsync();
    }

    private async ValueTask EmitTextDeltaAsync(string delta)
    {
        _transcript.Append(delta);
        _part!.Text = _transcript.ToString();
        _outputTextTokens = UsageCalculator.TextTokens(_part.Text);
        var w = StartContentEvent("response.output_text.delta"u8);
        w.WriteString("delta"u8, delta);
        w.WriteString("obfuscation"u8, ObfuscationAlphabet.AsSpan(0, 1 + delta.Length % 8));
        await _s.SendAsync();
    }

    private async ValueTask EmitAudioChunkAsync(long start, long end, long total)
    {
        var format = Parameters.OutputFormat;
        var count = (int)(end - start);
        var samples = ArrayPool<short>.Shared.Rent(count);
        var bytes = ArrayPool<byte>.Shared.Rent(count * 2);
        try
        {
            SpeechSynthesizer.Render(samples.AsSpan(0, count), start, total, format.SampleRate);
            var length = AudioCodec.Encode(format, samples.AsSpan(0, count), bytes);
            _part!.Audio!.Append(bytes.AsSpan(0, length));
            _outputAudioMs = _part.Audio.DurationMs;
            _s.MarkAssistantAudio();
            var w = StartContentEvent("response.output_audio.delta"u8);
            w.WriteBase64String("delta"u8, bytes.AsSpan(0, length));
            await _s.SendAsync();
        }
        finally
        {
            ArrayPool<short>.Shared.Return(samples);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    // ---- function call output ----

    private async Task CallToolAsync(ToolCallPlan call)
    {
        ConversationItem item;
        using (await EnterAsync())
        {
            if (Finished) return;
            item = new ConversationItem
            {
                Id = _s.Ids.Next("item"), Type = "function_call", Status = "in_progress",
                Name = call.Name, CallId = _s.Ids.Next("call")[..21], Arguments = "",
            };
            await AddOutputItemAsync(item);
        }

        var args = call.Arguments;
        for (var offset = 0; offset < args.Length; offset += 12)
        {
            var delta = args.Substring(offset, Math.Min(12, args.Length - offset));
            using (await EnterAsync())
            {
                if (Finished) return;
                item.Arguments += delta;
                _outputTextTokens = UsageCalculator.TextTokens(item.Arguments);
                var w = _s.Writer.Start("response.function_call_arguments.delta"u8);
                WriteCallIds(w, item);
                w.WriteString("delta"u8, delta);
                await _s.SendAsync();
            }
            if (_s.Options.ResponseRealtimeFactor > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 / _s.Options.ResponseRealtimeFactor), _s.Aborted);
            }
        }

        using (await EnterAsync())
        {
            if (Finished) return;
            var w = _s.Writer.Start("response.function_call_arguments.done"u8);
            WriteCallIds(w, item);
            w.WriteString("name"u8, item.Name);
            w.WriteString("arguments"u8, item.Arguments);
            await _s.SendAsync();
            await CloseItemAsync("completed");
        }
    }

    private void WriteCallIds(Utf8JsonWriter w, ConversationItem item)
    {
        w.WriteString("response_id"u8, Id);
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, _output.Count - 1);
        w.WriteString("call_id"u8, item.CallId);
    }

    // ---- shared item plumbing ----

    private async ValueTask AddOutputItemAsync(ConversationItem item)
    {
        _item = item;
        _output.Add(item);
        var w = _s.Writer.Start("response.output_item.added"u8);
        w.WriteString("response_id"u8, Id);
        w.WriteNumber("output_index"u8, _output.Count - 1);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await _s.SendAsync();

        if (!Parameters.OutOfBand)
        {
            var previous = _s.Conversation.Insert(item, null);
            w = _s.Writer.Start("conversation.item.added"u8);
            WritePrevious(w, previous);
            w.WritePropertyName("item"u8);
            item.WriteTo(w);
            await _s.SendAsync();
        }
    }

    private async ValueTask CloseItemAsync(string status)
    {
        var item = _item!;
        if (_partOpen)
        {
            _partOpen = false;
            if (_part!.Type == "output_audio")
            {
                StartContentEvent("response.output_audio.done"u8);
                await _s.SendAsync();
                var w = StartContentEvent("response.output_audio_transcript.done"u8);
                w.WriteString("transcript"u8, _part.Transcript ?? "");
                await _s.SendAsync();
            }
            else
            {
                var w = StartContentEvent("response.output_text.done"u8);
                w.WriteString("text"u8, _part.Text ?? "");
                await _s.SendAsync();
            }
            var done = StartContentEvent("response.content_part.done"u8);
            WritePart(done);
            await _s.SendAsync();
        }

        item.Status = status;
        var itemDone = _s.Writer.Start("response.output_item.done"u8);
        itemDone.WriteString("response_id"u8, Id);
        itemDone.WriteNumber("output_index"u8, _output.Count - 1);
        itemDone.WritePropertyName("item"u8);
        item.WriteTo(itemDone);
        await _s.SendAsync();

        if (!Parameters.OutOfBand && _s.Conversation.Contains(item.Id))
        {
            var w = _s.Writer.Start("conversation.item.done"u8);
            WritePrevious(w, _s.Conversation.PreviousIdOf(item));
            w.WritePropertyName("item"u8);
            item.WriteTo(w);
            await _s.SendAsync();
        }
    }

    private async ValueTask FinishAsync()
    {
        Finished = true;
        var w = _s.Writer.Start("response.done"u8);
        w.WritePropertyName("response"u8);
        WriteResponse(w);
        await _s.SendAsync();
        await _s.OnResponseFinishedAsync(this);
    }

    private Utf8JsonWriter StartContentEvent(ReadOnlySpan<byte> type)
    {
        var w = _s.Writer.Start(type);
        w.WriteString("response_id"u8, Id);
        w.WriteString("item_id"u8, _item!.Id);
        w.WriteNumber("output_index"u8, _output.Count - 1);
        w.WriteNumber("content_index"u8, 0);
        return w;
    }

    /// <summary>The content part as response events show it: type "audio"/"text" (items say output_audio/output_text).</summary>
    private void WritePart(Utf8JsonWriter w)
    {
        w.WriteStartObject("part"u8);
        if (_part!.Type == "output_audio")
        {
            w.WriteString("type"u8, "audio"u8);
            w.WriteString("transcript"u8, _part.Transcript ?? "");
        }
        else
        {
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, _part.Text ?? "");
        }
        w.WriteEndObject();
    }

    private static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
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
        foreach (var item in _output)
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

    /// <summary>Cuts the reply so text + audio tokens fit <c>max_output_tokens</c> (status incomplete).</summary>
    private string ApplyMaxOutputTokens(string text)
    {
        if (Parameters.MaxOutputTokens is not { } max)
        {
            return text;
        }
        var msPerChar = _s.Options.ReplyMsPerCharacter / Parameters.Speed;
        int Cost(int chars) => UsageCalculator.TextTokens(text[..chars])
            + (Parameters.Audio ? UsageCalculator.AssistantAudioTokens(chars * msPerChar) : 0);
        if (Cost(text.Length) <= max)
        {
            return text;
        }
        var n = text.Length;
        while (n > 0 && Cost(n) > max)
        {
            n--;
        }
        _truncatedByMaxTokens = true;
        return text[..n];
    }

    private static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }
        return words;
    }

    private async ValueTask<GateLease> EnterAsync()
    {
        if (_inline)
        {
            return default;
        }
        await _s.Gate.WaitAsync(_s.Aborted);
        if (_s.IsClosing)
        {
            _s.Gate.Release();
            throw new OperationCanceledException();
        }
        return new GateLease(_s.Gate);
    }

    private readonly struct GateLease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

using System.Text;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;

namespace VoicePlatform.Cli.Talk;

/// <summary>
/// One <c>vp talk</c> turn on an open realtime connection: set the session up, send the audio at real-time pace in 20 ms
/// chunks (server VAD ends the turn; if it has not when the audio and a short silence are sent, commit + response.create
/// end it) or the text (an item + response.create), then collect the reply until it is done.
/// </summary>
public sealed class TalkSession(RealtimeConnection connection, TalkRequest request, TalkPrinter printer, TimeProvider time)
{
    private const int ChunkBytes = InputAudio.SampleRate * 2 / 50; // 20 ms of 24 kHz PCM16
    private static readonly TimeSpan Chunk = TimeSpan.FromMilliseconds(20);
    // Silence after the audio so server VAD sees the turn end (the providers' defaults wait 200–500 ms).
    private static readonly TimeSpan TrailingSilence = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan InputTranscriptGrace = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _inputTranscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MemoryStream _reply = new();
    private readonly StringBuilder _transcript = new();
    private string? _inputTranscript;
    private JsonNode? _usage;
    private bool _inputFinished, _speechActive, _speechSeen, _turnForced;
    private int _responsesActive, _responsesDone;

    public async Task<TalkResult> RunAsync(CancellationToken ct)
    {
        var sessionId = await SetUpAsync(ct);
        printer.Status($"session {sessionId} ({request.Model})");

        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = ReadEventsAsync(stopReading.Token);
        try
        {
            if (request.Text is { } text) await SendTextAsync(text, ct);
            else await SendAudioAsync(request.Audio ?? [], ct);

            var finished = await Task.WhenAny(_done.Task, Task.Delay(request.ReplyTimeout, time, ct));
            if (finished != _done.Task)
                throw new CliException(ExitCodes.ServerError, $"no complete reply within {request.ReplyTimeout.TotalSeconds:0} s");
            await _done.Task; // rethrows the session's failure
            if (request.Transcribe && request.Audio is not null)
                await Task.WhenAny(_inputTranscribed.Task, Task.Delay(InputTranscriptGrace, time, ct));

            await connection.CloseOutputAsync(ct);
            await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(5), time, ct)); // the server's close ends the reader
        }
        finally
        {
            await stopReading.CancelAsync();
        }

        lock (_gate)
            return new TalkResult(sessionId, _transcript.ToString(), _inputTranscript, _reply.ToArray(), _usage);
    }

    private async Task<string> SetUpAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SetupTimeout);
        var created = await ExpectAsync("session.created", timeout.Token, ct);
        var sessionId = created["session"]?["id"]?.GetValue<string>() ?? "(unknown)";

        var session = new JsonObject { ["type"] = "realtime" };
        if (request.Instructions is { } instructions) session["instructions"] = instructions;
        if (request.Transcribe)
            session["audio"] = new JsonObject { ["input"] = new JsonObject { ["transcription"] = new JsonObject { ["model"] = "gpt-4o-transcribe" } } };
        if (request.Record) session["recording"] = "on"; // the platform's extension: record this session
        if (session.Count > 1)
        {
            await connection.SendAsync(new JsonObject { ["type"] = "session.update", ["session"] = session }, timeout.Token);
            await ExpectAsync("session.updated", timeout.Token, ct);
        }
        return sessionId;
    }

    /// <summary>Reads events until <paramref name="type"/>; an <c>error</c> or a close before it fails the command.</summary>
    private async Task<JsonNode> ExpectAsync(string type, CancellationToken timeout, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync(timeout) ?? throw Closed();
                var eventType = message["type"]?.GetValue<string>();
                if (eventType == type) return message;
                if (eventType == "error") throw ServerError.FromRealtimeEvent(message["error"] ?? new JsonObject());
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.ServerError, $"the gateway did not send {type} within {SetupTimeout.TotalSeconds:0} s");
        }
    }

    private async Task SendTextAsync(string text, CancellationToken ct)
    {
        // Shown before it is sent: printed after, the reply's first words (read meanwhile) could come before it.
        printer.UserTranscript(text);
        await connection.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject
            {
                ["type"] = "message",
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = text }),
            },
        }, ct);
        await connection.SendAsync(new JsonObject { ["type"] = "response.create" }, ct);
        FinishInput(forceTurn: false);
    }

    private async Task SendAudioAsync(byte[] audio, CancellationToken ct)
    {
        var silence = new byte[(int)(TrailingSilence / Chunk) * ChunkBytes];
        var total = TimeSpan.FromSeconds(audio.Length / 2.0 / InputAudio.SampleRate);
        var start = time.GetTimestamp();
        var index = 0;
        foreach (var (source, offset) in Chunks(audio).Concat(Chunks(silence)))
        {
            // Real-time pace: chunk i leaves at i × 20 ms, whatever the time spent sending the others.
            var due = Chunk * index - time.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, time, ct);
            var length = Math.Min(ChunkBytes, source.Length - offset);
            await connection.SendAsync(new JsonObject
            {
                ["type"] = "input_audio_buffer.append",
                ["audio"] = Convert.ToBase64String(source, offset, length),
            }, ct);
            index++;
            if (index % 5 == 0) printer.Progress(TimeSpan.FromMilliseconds(Math.Min(index * 20, total.TotalMilliseconds)), total);
            if (_done.Task.IsFaulted) break; // the server already failed the session
        }
        printer.Progress(total, total);

        bool forceTurn;
        lock (_gate)
            // Speech still going, or nothing the VAD took for speech and no reply: end the turn ourselves.
            forceTurn = _speechActive || (!_speechSeen && _responsesActive == 0 && _responsesDone == 0);
        if (forceTurn && !_done.Task.IsCompleted)
        {
            await connection.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" }, ct);
            await connection.SendAsync(new JsonObject { ["type"] = "response.create" }, ct);
        }
        FinishInput(forceTurn);
    }

    private static IEnumerable<(byte[] Source, int Offset)> Chunks(byte[] source)
    {
        for (var offset = 0; offset < source.Length; offset += ChunkBytes) yield return (source, offset);
    }

    private void FinishInput(bool forceTurn)
    {
        lock (_gate)
        {
            _inputFinished = true;
            _turnForced = forceTurn;
            if (forceTurn) _speechActive = false;
        }
        CompleteIfDone();
    }

    private async Task ReadEventsAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync(ct);
                if (message is null)
                {
                    _done.TrySetException(Closed());
                    return;
                }
                Handle(message);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The turn is over.
        }
        catch (Exception e)
        {
            _done.TrySetException(e as CliException ?? new CliException(ExitCodes.ServerError, $"unreadable event from the gateway: {e.Message}", e));
        }
    }

    private void Handle(JsonNode message)
    {
        switch (message["type"]?.GetValue<string>())
        {
            case "error":
                var error = message["error"] ?? new JsonObject();
                // Our own commit + response.create may race the server's VAD, which then already did both: not a failure.
                if (_turnForced && error["code"]?.GetValue<string>() is "conversation_already_has_active_response" or "input_audio_buffer_commit_empty")
                    return;
                _done.TrySetException(ServerError.FromRealtimeEvent(error));
                return;
            case "input_audio_buffer.speech_started":
                lock (_gate) _speechActive = _speechSeen = true;
                return;
            case "input_audio_buffer.speech_stopped":
                lock (_gate) _speechActive = false;
                return;
            case "response.created":
                lock (_gate) _responsesActive++;
                return;
            case "response.output_audio.delta":
                var audio = Convert.FromBase64String(message["delta"]?.GetValue<string>() ?? "");
                lock (_gate) _reply.Write(audio);
                return;
            case "response.output_audio_transcript.delta" or "response.output_text.delta":
                printer.AssistantDelta(message["delta"]?.GetValue<string>() ?? "");
                return;
            case "response.output_audio_transcript.done" or "response.output_text.done":
                var said = message["transcript"]?.GetValue<string>() ?? message["text"]?.GetValue<string>() ?? "";
                lock (_gate) _transcript.Append(_transcript.Length > 0 ? " " : "").Append(said);
                printer.AssistantDone();
                return;
            case "conversation.item.input_audio_transcription.completed":
                var heard = message["transcript"]?.GetValue<string>() ?? "";
                lock (_gate) _inputTranscript = _inputTranscript is null ? heard : $"{_inputTranscript} {heard}";
                printer.UserTranscript(heard);
                _inputTranscribed.TrySetResult();
                return;
            case "session.limit_reached" or "session.idle_warning":
                printer.Status($"{message["type"]}: {message["message"]}");
                return;
            case "response.done":
                var response = message["response"];
                if (response?["status"]?.GetValue<string>() == "failed")
                {
                    var reason = response["status_details"]?["error"] ?? new JsonObject { ["message"] = "the response failed" };
                    _done.TrySetException(ServerError.FromRealtimeEvent(reason));
                    return;
                }
                lock (_gate)
                {
                    _usage = response?["usage"]?.DeepClone();
                    _responsesActive = Math.Max(0, _responsesActive - 1);
                    _responsesDone++;
                }
                CompleteIfDone();
                return;
        }
    }

    private void CompleteIfDone()
    {
        lock (_gate)
            if (_inputFinished && _responsesDone > 0 && _responsesActive == 0 && !_speechActive)
                _done.TrySetResult();
    }

    private CliException Closed()
    {
        var status = connection.CloseStatus;
        var reason = connection.CloseDescription;
        return new CliException(ServerError.ExitCodeFor(null, reason),
            $"the gateway closed the session ({(status is null ? "no close frame" : (int)status.Value)}{(string.IsNullOrEmpty(reason) ? "" : $" {reason}")})");
    }
}

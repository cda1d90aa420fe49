using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tools;

/// <summary>Running the calls: completed responses → Tools service → outputs + response.create; cancellation; end_session.</summary>
public sealed partial class ServerToolSession
{
    private const string ExecutedBy = "executed_by";
    private readonly List<ToolCallBatch> _batches = [];
    private readonly HashSet<string> _executedCalls = new(StringComparer.Ordinal);
    private volatile bool _endAfterReply;
    private int _endedBySession;

    private bool HasCallsInFlight
    {
        get
        {
            lock (_batches) return _batches.Count > 0;
        }
    }

    /// <summary>
    /// The client moved on while calls run: response.cancel cancels them; new user input (a user message, or a
    /// response.create of its own) supersedes them, so their outputs would answer a question no longer asked.
    /// </summary>
    private void SupersedeCalls(ToolEventKind kind, ReadOnlySpan<byte> json)
    {
        switch (kind)
        {
            case ToolEventKind.ResponseCancel:
                CancelCalls(all: true, "the client cancelled the response");
                break;
            case ToolEventKind.ResponseCreate:
                CancelCalls(all: false, "the client asked for a new response");
                break;
            case ToolEventKind.ItemCreate:
                using (var doc = JsonDocument.Parse(json.ToArray()))
                {
                    var item = doc.RootElement.TryGetProperty("item", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueEquals("message")
                        && item.TryGetProperty("role", out var role) && role.ValueEquals("user"))
                        CancelCalls(all: true, "the user said something new");
                }
                break;
        }
    }

    /// <param name="all">False: batches whose response also called client tools are left alone (the client's response.create is expected).</param>
    private void CancelCalls(bool all, string reason)
    {
        // Cancelled outside the lock: cancellation callbacks run inline and may finish a batch (which takes the lock).
        ToolCallBatch[] batches;
        lock (_batches) batches = [.. _batches];
        foreach (var batch in batches)
        {
            if (!all && batch.ClientCallsToo) continue;
            batch.Cancel(reason);
        }
    }

    /// <summary>
    /// The provider no longer waits for a call (extension event <c>response.function_call.cancelled</c>, from Gemini's
    /// toolCallCancellation): it is cancelled — its webhook request aborted — and its output left out.
    /// </summary>
    private void CancelCall(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        if (!doc.RootElement.TryGetProperty("call_id", out var id) || id.GetString() is not { } callId) return;
        ToolCallBatch[] batches;
        lock (_batches) batches = [.. _batches];
        foreach (var batch in batches)
        {
            if (!batch.Contains(callId)) continue;
            _logger.LogInformation("The provider cancelled server tool call {CallId}", callId);
            batch.CancelCall(callId);
        }
    }

    /// <summary>Marks a function_call (or our function_call_output) item of a server-side tool with <c>"executed_by":"platform"</c>.</summary>
    private ReadOnlyMemory<byte> MarkItem(ReadOnlyMemory<byte> json)
    {
        if (json.Span.IndexOf("\"function_call"u8) < 0) return json; // messages: not parsed
        var node = JsonNode.Parse(json.Span)!.AsObject();
        return node["item"] is JsonObject item && Mark(item) ? WireJson.ToUtf8Bytes(node) : json;
    }

    private bool Mark(JsonObject item)
    {
        var type = item["type"].Text();
        var platform = type switch
        {
            "function_call" => item["name"].Text() is { } name && _installed.ContainsKey(name),
            "function_call_output" => item["call_id"].Text() is { } callId && IsExecuted(callId),
            _ => false,
        };
        if (platform) item[ExecutedBy] = "platform";
        return platform;
    }

    private bool IsExecuted(string callId)
    {
        lock (_executedCalls) return _executedCalls.Contains(callId);
    }

    private async ValueTask ResponseDoneAsync(CanonicalEvent responseDone, CancellationToken cancellationToken)
    {
        var endNow = _endAfterReply;
        var json = responseDone.Json;
        if (json.Span.IndexOf("\"function_call"u8) < 0)
        {
            await _downstream.EventAsync(responseDone, cancellationToken);
            if (endNow) await EndSessionAsync("the assistant's closing reply is done");
            return;
        }

        var node = JsonNode.Parse(json.Span)!.AsObject();
        var response = node["response"] as JsonObject;
        var calls = new List<ServerToolCall>();
        var clientCalls = false;
        var marked = false;
        if (response?["output"] is JsonArray output)
        {
            foreach (var entry in output)
            {
                if (entry is not JsonObject item || item["type"].Text() != "function_call") continue;
                if (Mark(item))
                {
                    marked = true;
                    var name = item["name"].Text()!;
                    calls.Add(new ServerToolCall(item["call_id"].Text() ?? "", name, item["arguments"].Text() ?? "{}", _installed.GetValueOrDefault(name)));
                }
                else
                {
                    clientCalls = true;
                }
            }
        }
        await _downstream.EventAsync(marked ? responseDone.WithJson(WireJson.ToUtf8Bytes(node)) : responseDone, cancellationToken);

        if (calls.Count > 0 && response?["status"].Text() == "completed") StartBatch(new ToolCallBatch(calls, clientCalls, _stop.Token));
        if (endNow) await EndSessionAsync("the assistant's closing reply is done");
    }

    private void StartBatch(ToolCallBatch batch)
    {
        lock (_batches) _batches.Add(batch);
        _logger.LogDebug("Running {Count} server tool call(s): {Tools}", batch.Calls.Count, string.Join(", ", batch.Calls.Select(c => c.Name)));
        _ = RunBatchAsync(batch);
    }

    /// <summary>Runs the batch's calls concurrently; unless cancelled meanwhile, hands every output to the provider, then asks for the reply.</summary>
    private async Task RunBatchAsync(ToolCallBatch batch)
    {
        try
        {
            // Forced yield: never continue inline inside the canceller's Cancel() (a barge-in on the provider's reader).
            var results = await Task.WhenAll(batch.Calls.Select(call => _tools.ExecuteAsync(_tenantId, _sessionId, call, call.Tool, batch.TokenOf(call))))
                .ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            lock (_batches)
            {
                _batches.Remove(batch);
                if (batch.Token.IsCancellationRequested)
                {
                    _logger.LogInformation("Server tool call(s) {CallIds} cancelled ({Reason}); no output sent",
                        string.Join(", ", batch.Calls.Select(c => c.CallId)), batch.CancelReason ?? "session ended");
                    return;
                }
            }

            // Calls the provider cancelled alone: it no longer waits for them. The others still get their outputs.
            var answered = results.Where(r => !r.Cancelled && !batch.IsCallCancelled(r.Call)).ToList();
            if (answered.Count < results.Length)
                _logger.LogInformation("Server tool call(s) {CallIds} cancelled; their output is not sent",
                    string.Join(", ", results.Except(answered).Select(r => r.Call.CallId)));
            if (answered.Count == 0) return;

            lock (_executedCalls)
            {
                foreach (var result in answered) _executedCalls.Add(result.Call.CallId);
            }
            // end_session: its output goes to the model, which says goodbye; the session ends after that reply. Armed
            // before the output goes up: a provider that answers a tool output at once (Gemini) can finish the goodbye
            // before this batch runs on, and a reply done before arming would leave the session open until the grace.
            if (answered.Any(r => r.Action == ToolAction.EndSession)) ArmEndSession();
            foreach (var result in answered)
                await Inner.SendEventAsync(0, WireJson.ToUtf8Bytes(OutputItem(result)), CancellationToken.None);
            if (!batch.ClientCallsToo)
                await Inner.SendEventAsync(0, WireJson.ToUtf8Bytes(new JsonObject { ["type"] = "response.create", ["event_id"] = NextEventId() }),
                    CancellationToken.None);
        }
        catch (Exception e) when (_stop.IsCancellationRequested)
        {
            _logger.LogDebug("Server tool batch ended with the session: {Error}", e.Message);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not hand server tool outputs to the provider");
        }
        finally
        {
            lock (_batches) _batches.Remove(batch);
            batch.Dispose();
        }
    }

    private JsonObject OutputItem(ServerToolResult result) => new()
    {
        ["type"] = "conversation.item.create",
        ["event_id"] = NextEventId(),
        ["item"] = new JsonObject
        {
            ["type"] = "function_call_output",
            ["call_id"] = result.Call.CallId,
            ["output"] = result.OutputJson,
        },
    };

    private void ArmEndSession()
    {
        _endAfterReply = true;
        _logger.LogInformation("end_session called: the session ends after the assistant's reply");
        _ = EndAfterGraceAsync();

        async Task EndAfterGraceAsync()
        {
            try
            {
                await Task.Delay(_tools.Options.EndSessionGrace, _tools.Time, _stop.Token);
                await EndSessionAsync("no reply within the end_session grace period");
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>A normal end, as when the provider closes cleanly: the client gets close 1000.</summary>
    private async ValueTask EndSessionAsync(string why)
    {
        if (Interlocked.Exchange(ref _endedBySession, 1) == 1) return;
        _logger.LogInformation("Session ended by end_session ({Why})", why);
        try
        {
            await _downstream.EndAsync(RealtimeCloseCodes.Normal, "session_ended", CancellationToken.None);
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}

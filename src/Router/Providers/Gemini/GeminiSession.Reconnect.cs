using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Connection switches: a setup change (session.update) or a goAway is applied by closing the connection and opening a
/// new one — with the latest resumable handle once the conversation has content (Gemini rejects a resume while the old
/// socket is open, so it is closed first). It happens at a safe point: no response, no model turn, no user speech.
/// Client messages during the switch are held and flushed after setupComplete; with transparent resumption, messages
/// the old connection consumed after the handle's state are replayed first.
/// </summary>
internal sealed partial class GeminiSession
{
    private readonly Queue<byte[]> _held = new();
    private readonly Queue<ReplayEntry> _replay = new();
    private bool _switching;
    private bool _reconnectPending;
    private string _reconnectReason = "";
    private string? _handle;
    private bool _resumable;
    private long? _handleConsumedIndex;
    private bool _upstreamHasContext;
    private bool _replyExpected;
    private DateTimeOffset _replyExpectedSince;

    private void RequestReconnect(string reason)
    {
        _reconnectPending = true;
        _reconnectReason = _reconnectReason.Length == 0 || _reconnectReason == reason ? reason : $"{_reconnectReason}, {reason}";
    }

    private void OnResumptionUpdate(JsonElement update)
    {
        var handle = ClientJson.OptionalString(update, "newHandle");
        var resumable = update.TryGetProperty("resumable", out var r) && r.ValueKind == JsonValueKind.True;
        if (resumable && !string.IsNullOrEmpty(handle))
        {
            _handle = handle;
            _resumable = true;
            _handleConsumedIndex = update.TryGetProperty("lastConsumedClientMessageIndex", out var index)
                && long.TryParse(index.ValueKind == JsonValueKind.String ? index.GetString() : index.GetRawText(),
                    System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var consumed)
                ? consumed
                : null;
            TrimReplay();
        }
        else
        {
            // Mid-generation or mid-tool-call: the state is not resumable right now.
            _resumable = false;
        }
    }

    private bool AtSafePoint()
    {
        if (_response is not null || _upstreamTurnOpen || _vad.InSpeech || _speechItemId is not null)
        {
            return false;
        }

        if (_replyExpected && DateTimeOffset.UtcNow - _replyExpectedSince < _options.ReplyExpectedWithin)
        {
            return false;
        }

        // Without content there is nothing to resume: a fresh setup will do.
        return !_upstreamHasContext || (_handle is not null && _resumable);
    }

    private async ValueTask MaybeReconnectAsync()
    {
        if (!_reconnectPending || _switching || _ended || !AtSafePoint())
        {
            return;
        }

        if (_reconnectReason == "session.update" && GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) == _appliedFingerprint)
        {
            _reconnectPending = false;
            _reconnectReason = "";
            return;
        }

        var reason = _reconnectReason;
        _reconnectPending = false;
        _reconnectReason = "";
        _switching = true;
        _replyExpected = false;
        var old = _connection;
        var handle = _upstreamHasContext ? _handle : null;
        var target = _config.Clone();
        var setup = GeminiSetupWriter.Write(target, UpstreamModel, handle, _options);
        var replay = handle is not null && _handleConsumedIndex is not null ? TakeReplay(target.ServerVad) : [];
        ClearReplay();
        _handleConsumedIndex = null;
        var number = ++_connectionCount;
        _logger.LogInformation("Gemini session {SessionId}: switching to connection #{Number} ({Reason}; {Mode}, {Replay} message(s) to replay)",
            _context.SessionId, number, reason, handle is null ? "fresh setup" : "resuming", replay.Count);
        await Task.Yield();
        _ = Task.Run(() => SwitchAsync(old, target, setup, number, replay, reason));
    }

    private async Task SwitchAsync(GeminiConnection? old, RealtimeSessionConfig target, byte[] setup, int number, List<byte[]> replay, string reason)
    {
        GeminiConnection? connection = null;
        ProviderConnectException? failure = null;
        try
        {
            if (old is not null)
            {
                await old.RetireAsync(reason);
            }

            connection = await GeminiConnection.OpenAsync(_uri, setup, _options, number, _logger, Lifetime);
        }
        catch (ProviderConnectException ex)
        {
            failure = ex;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (old is not null)
            {
                await old.DisposeAsync();
            }

            if (_ended || failure is not null)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                if (failure is not null)
                {
                    await FailAsync(failure.Code, $"Reconnecting to the model provider failed: {failure.Message}");
                }

                return;
            }

            _connection = connection;
            ApplyConfig(target);
            connection!.StartReading(OnUpstreamMessageAsync, OnUpstreamClosedAsync);
            foreach (var message in replay)
            {
                await connection.SendAsync(message, Lifetime);
                RememberForReplay(message);
            }

            _switching = false;
            var held = _held.Count;
            while (_held.TryDequeue(out var message))
            {
                await connection.SendAsync(message, Lifetime);
                RememberForReplay(message);
            }

            _logger.LogInformation("Gemini session {SessionId}: connection #{Number} ready ({Held} held message(s) flushed)",
                _context.SessionId, number, held);
            if (GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) != _appliedFingerprint)
            {
                RequestReconnect("session.update");
            }

            await MaybeReconnectAsync();
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("Gemini session {SessionId}: flushing to connection #{Number} failed: {Message}", _context.SessionId, number, ex.Message);
        }
        finally
        {
            _switching = false;
            _gate.Release();
        }
    }

    /// <summary>The new connection runs <paramref name="target"/> (cancel signalling follows it).</summary>
    private void ApplyConfig(RealtimeSessionConfig target)
    {
        _applied = target;
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(target, UpstreamModel, _options);
    }

    private void RememberForReplay(ReadOnlyMemory<byte> json)
    {
        if (!_options.TransparentResumption || _connection is null)
        {
            return;
        }

        var kind = json.Span.IndexOf("\"activityStart\""u8) >= 0 || json.Span.IndexOf("\"activityEnd\""u8) >= 0 ? ReplayKind.Activity
            : json.Span.StartsWith("{\"realtimeInput\":{\"audio\""u8) ? ReplayKind.Audio
            : ReplayKind.Content;
        var copy = ArrayPool<byte>.Shared.Rent(json.Length);
        json.Span.CopyTo(copy);
        _replay.Enqueue(new ReplayEntry(_connection.NextMessageIndex - 1, copy, json.Length, kind));
        while (_replay.Count > _options.ReplayLimit && _replay.TryDequeue(out var dropped))
        {
            ArrayPool<byte>.Shared.Return(dropped.Buffer);
        }
    }

    private void ClearReplay()
    {
        while (_replay.TryDequeue(out var entry))
        {
            ArrayPool<byte>.Shared.Return(entry.Buffer);
        }
    }

    private void TrimReplay()
    {
        while (_replay.TryPeek(out var entry) && (_handleConsumedIndex is null || entry.Index <= _handleConsumedIndex))
        {
            ArrayPool<byte>.Shared.Return(_replay.Dequeue().Buffer);
        }
    }

    /// <summary>Messages after the handle's state, filtered for the new setup (activity signals only with manual turns).</summary>
    private List<byte[]> TakeReplay(bool serverVad)
    {
        var result = new List<byte[]>();
        while (_replay.TryDequeue(out var entry))
        {
            var keep = entry.Kind switch
            {
                ReplayKind.Activity => !serverVad,
                ReplayKind.Audio => serverVad,
                _ => true,
            };
            if (keep)
            {
                result.Add(entry.Buffer.AsSpan(0, entry.Length).ToArray());
            }

            ArrayPool<byte>.Shared.Return(entry.Buffer);
        }

        return result;
    }

    private enum ReplayKind
    {
        Audio,
        Activity,
        Content,
    }

    private readonly record struct ReplayEntry(long Index, byte[] Buffer, int Length, ReplayKind Kind);
}

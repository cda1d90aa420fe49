using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Routing.Sessions;

/// <summary>
/// Sits between a new session's provider side and the client while it starts. It holds the provider's
/// <c>session.created</c> until the connect is settled: a chain step that failed may have emitted one (dropped with
/// <see cref="Discard"/>), and the client must learn which model answered (the <c>routing</c> extension added on
/// <see cref="Announce"/>). When the route's session defaults were sent to the provider, their answer is folded in:
/// the client's <c>session.created</c> shows the session with the defaults, and the <c>session.updated</c> it never
/// asked for is not shown (an <c>error</c> about them is, after <c>session.created</c>). Anything else the provider
/// says meanwhile waits behind it, in order. After that it passes everything straight through.
/// </summary>
public sealed class RoutedSessionAnnouncer(ISessionEventSink inner) : ISessionEventSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<CanonicalEvent> _waiting = [];
    private byte[]? _created;
    private JsonObject? _extension;   // set once the connect is settled
    private bool _awaitingDefaults;
    private volatile bool _released;

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
        inner.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);

    public async ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        if (_released)
        {
            await inner.EventAsync(serverEvent, cancellationToken);
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_released)
            {
                await inner.EventAsync(serverEvent, cancellationToken);
                return;
            }
            var (type, json) = (serverEvent.Type, serverEvent.Json);
            if (type == "session.created" && _created is null)
            {
                _created = json.ToArray();
            }
            else if (_awaitingDefaults && _created is not null && type is "session.updated" or "error")
            {
                _awaitingDefaults = false;
                if (type == "session.updated") _created = WithSession(_created, json.Span);
                else _waiting.Insert(0, new CanonicalEvent(type, json.ToArray()));
            }
            else
            {
                _waiting.Add(new CanonicalEvent(type, json.ToArray()));
            }
            await ReleaseIfSettledAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken)
    {
        if (_released)
        {
            await inner.EndAsync(closeStatus, reason, cancellationToken);
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Before the connect is settled an end belongs to a step that failed (the relay reports the outcome);
            // while the defaults' answer is awaited, the session ends with what the client should have seen first.
            if (_extension is null) return;
            else
            {
                _awaitingDefaults = false;
                await ReleaseAsync(cancellationToken);
                await inner.EndAsync(closeStatus, reason, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A chain step failed: what it emitted is not the session's.</summary>
    public void Discard()
    {
        _gate.Wait();
        try
        {
            _created = null;
            _waiting.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The connect is settled: <paramref name="extension"/> goes into session.created as <c>routing</c>. With
    /// <paramref name="defaultsFollow"/> (the caller sends the session defaults right after this), session.created
    /// waits for their answer; otherwise it goes now.
    /// </summary>
    public async Task AnnounceAsync(JsonObject extension, bool defaultsFollow, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _extension = extension;
            _awaitingDefaults = defaultsFollow;
            await ReleaseIfSettledAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The session defaults could not be sent: session.created goes as it is.</summary>
    public async Task ReleaseAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _awaitingDefaults = false;
            await ReleaseIfSettledAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    // The connector may pass session.created on before or after its connect returns: whichever comes last releases.
    private async Task ReleaseIfSettledAsync(CancellationToken cancellationToken)
    {
        if (!_released && _extension is not null && _created is not null && !_awaitingDefaults) await ReleaseAsync(cancellationToken);
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_created is not null) await inner.EventAsync(new CanonicalEvent("session.created", WithExtension(_created, _extension!)), cancellationToken);
        foreach (var held in _waiting) await inner.EventAsync(held, cancellationToken);
        _waiting.Clear();
        _created = null;
        _released = true;
    }

    private static byte[] WithSession(byte[] created, ReadOnlySpan<byte> updated)
    {
        var node = JsonNode.Parse(created)!.AsObject();
        node["session"] = JsonNode.Parse(updated)!["session"]?.DeepClone();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    private static byte[] WithExtension(byte[] created, JsonObject extension)
    {
        var node = JsonNode.Parse(created)!.AsObject();
        node["routing"] = extension.DeepClone();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}

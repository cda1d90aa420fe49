using System.Text.Json;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// The sink one provider session writes to while its session could continue on another provider. It passes events on
/// unchanged, except for how a provider failure looks: an <c>error</c> that may announce the end (server-side or
/// account errors: insufficient quota, invalid key, server error) is held until the provider's next call, and an end
/// the next provider could avoid (anything but a normal or policy close) is not passed on but reported to
/// <see cref="Failed"/>, with the held errors dropped, so the client sees neither. A held error that no end follows
/// within <see cref="HoldLimit"/> is the client's after all. After a failure nothing more of this provider session
/// reaches the client. It also knows which responses are open (created, not
/// done) so that the switch can close them for the client and ask again.
/// </summary>
public sealed class ProviderFailureGuard : ISessionEventSink, IDisposable
{
    /// <summary>How long an error is held back waiting for the end it may announce.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> FatalCodes = new(StringComparer.Ordinal)
    {
        "insufficient_quota", "invalid_api_key", "account_deactivated", "billing_hard_limit_reached", "credit_balance_exhausted",
    };

    private readonly ISessionEventSink _inner;
    private readonly Action<ProviderFailure> _failed;
    private readonly UnconfirmedClientItems? _items;
    private readonly SemaphoreSlim _order = new(1, 1); // the provider's calls and the hold timer reach the client in order
    private readonly List<byte[]> _held = [];
    private readonly List<string> _openResponses = [];
    private readonly ITimer _release;
    private bool _retired;

    /// <param name="inner">Where the client-visible events go.</param>
    /// <param name="failed">Called once, when the provider session ended in a way another provider could avoid.</param>
    /// <param name="items">Told of every event passed on, to follow which client items the provider confirmed.</param>
    public ProviderFailureGuard(ISessionEventSink inner, Action<ProviderFailure> failed, TimeProvider time, UnconfirmedClientItems? items = null)
    {
        _inner = inner;
        _failed = failed;
        _items = items;
        _release = time.CreateTimer(static state => _ = ((ProviderFailureGuard)state!).ReleaseHeldAsync(), this, Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Responses the client saw created and not done, oldest first.</summary>
    public IReadOnlyList<string> OpenResponses
    {
        get
        {
            lock (_openResponses) return [.. _openResponses];
        }
    }

    public async ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken)
    {
        await _order.WaitAsync(cancellationToken);
        try
        {
            if (_retired) return;
            await FlushHeldAsync(cancellationToken);
            await _inner.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);
        }
        finally
        {
            _order.Release();
        }
    }

    public async ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        await _order.WaitAsync(cancellationToken);
        try
        {
            if (_retired) return;
            var (type, json) = (serverEvent.Type, serverEvent.Json);
            if (type == "error" && MayAnnounceEnd(json.Span))
            {
                _held.Add(json.ToArray());
                _release.Change(HoldLimit, Timeout.InfiniteTimeSpan);
                return;
            }
            await FlushHeldAsync(cancellationToken);
            Follow(type, json.Span);
            _items?.Observe(type, json.Span);
            await _inner.EventAsync(serverEvent, cancellationToken);
        }
        finally
        {
            _order.Release();
        }
    }

    public async ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken)
    {
        await _order.WaitAsync(cancellationToken);
        try
        {
            if (_retired) return;
            if (closeStatus is not (RealtimeCloseCodes.Normal or RealtimeCloseCodes.PolicyViolation))
            {
                _retired = true;
                _release.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                var errors = _held.Select(Describe).ToList();
                _held.Clear();
                _failed(new ProviderFailure(closeStatus, reason, errors));
                return;
            }
            await FlushHeldAsync(cancellationToken);
            await _inner.EndAsync(closeStatus, reason, cancellationToken);
        }
        finally
        {
            _order.Release();
        }
    }

    public void Dispose() => _release.Dispose();

    private async Task ReleaseHeldAsync()
    {
        try
        {
            await _order.WaitAsync();
            try
            {
                if (!_retired) await FlushHeldAsync(CancellationToken.None);
            }
            finally
            {
                _order.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The session is gone; nobody to tell.
        }
    }

    private async ValueTask FlushHeldAsync(CancellationToken cancellationToken)
    {
        if (_held.Count == 0) return;
        _release.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var error in _held) await _inner.EventAsync(new CanonicalEvent("error", error), cancellationToken);
        _held.Clear();
    }

    private void Follow(string? type, ReadOnlySpan<byte> json)
    {
        if (type is not ("response.created" or "response.done")) return;
        var id = ResponseId(json);
        if (id is null) return;
        lock (_openResponses)
        {
            if (type == "response.created") _openResponses.Add(id);
            else _openResponses.Remove(id);
        }
    }

    /// <summary>Errors about the client's own request never end a session; server-side and account errors may.</summary>
    private static bool MayAnnounceEnd(ReadOnlySpan<byte> json)
    {
        var (type, code) = ErrorTypeAndCode(json);
        return (code is not null && FatalCodes.Contains(code)) || (type is not null && type != RealtimeErrorEvent.InvalidRequest);
    }

    private static string Describe(byte[] error)
    {
        var (type, code) = ErrorTypeAndCode(error);
        return code ?? type ?? "error";
    }

    private static (string? Type, string? Code) ErrorTypeAndCode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return (null, null);
            return (Text(error, "type"), Text(error, "code"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? ResponseId(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
                ? Text(response, "id") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>How a provider session failed: its close, and the codes of the errors it sent just before (held from the client).</summary>
public sealed record ProviderFailure(int CloseStatus, string Reason, IReadOnlyList<string> ErrorCodes)
{
    /// <summary>The most telling code: an error's (e.g. insufficient_quota) over the close reason.</summary>
    public string Code => ErrorCodes.Count > 0 ? ErrorCodes[0] : Reason;
}

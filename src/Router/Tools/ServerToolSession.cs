using VoicePlatform.Contracts.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tools;

/// <summary>
/// Server-side tools in the turn loop, for any provider: a layer between the relay and the provider session that sees
/// the canonical (OpenAI-shaped) events both ways. Client → provider: <c>session.update</c>'s platform tools become
/// function tools (<see cref="SessionUpdateTools"/>); tenant defaults are installed at start. Provider → client: a
/// completed <c>response.done</c> with calls to those tools runs them through the Tools service, concurrently, then
/// hands the outputs back to the provider with one <c>response.create</c>, so the conversation continues by voice.
/// Audio passes straight through in both directions; other events are only classified by their <c>type</c>, and only
/// while the session has platform tools.
/// </summary>
public sealed partial class ServerToolSession : IProviderSession, ISessionEventSink
{
    /// <summary>event_id prefix of what this layer sends to the provider (its errors are this layer's, not the client's).</summary>
    private const string EventIdPrefix = "vptool_";
    private static readonly IReadOnlyDictionary<string, ToolDefinition> NoTools = new Dictionary<string, ToolDefinition>();

    private readonly ServerTools _tools;
    private readonly string _sessionId;
    private readonly string _tenantId;
    private readonly ISessionEventSink _downstream;
    private readonly ILogger _logger;
    private readonly Task<TenantTools> _initialTools;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IProviderSession? _inner;
    private Task? _completion;
    private volatile IReadOnlyDictionary<string, ToolDefinition> _installed = NoTools;
    private volatile TenantTools _tenant = TenantTools.None;
    private volatile string? _hiddenUpdateId;
    private int _injected;
    private int _disposed;

    internal ServerToolSession(ServerTools tools, string sessionId, string tenantId, bool resumed, ISessionEventSink downstream,
        ILogger<ServerToolSession> logger)
    {
        _tools = tools;
        _sessionId = sessionId;
        _tenantId = tenantId;
        _downstream = downstream;
        _logger = logger;
        _initialTools = tools.Options.Enabled == true ? FetchInitialAsync(resumed) : Task.FromResult(TenantTools.None);
    }

    /// <summary>The server-side tools the provider currently has (names), for tests and logs.</summary>
    public IReadOnlyCollection<string> InstalledTools => [.. _installed.Keys];

    public Task Completion => _completion ?? throw new InvalidOperationException("No provider session attached yet.");

    private IProviderSession Inner => _inner ?? throw new InvalidOperationException("No provider session attached yet.");

    /// <summary>
    /// Takes over the connected provider session. A new session gets the tenant's default tools now (so one that
    /// never sends session.update has them); a re-attached one already has its tools in the restored configuration.
    /// </summary>
    public async Task<IProviderSession> AttachAsync(IProviderSession inner, SessionResumeState? resume, CancellationToken cancellationToken)
    {
        _inner = inner;
        _completion = Task.WhenAny(inner.Completion, _ended.Task);
        if (resume is not null && !HasNamedTools(resume))
        {
            // Re-attached without any tools: nothing to restore, so the relay does not wait for the Tools service (a
            // failover's critical path); the list arrives in the background for later session.updates.
            _ = KeepTenantToolsAsync();
            return this;
        }
        var tenant = _tenant = await _initialTools;
        if (resume is not null)
        {
            _installed = Restored(resume, tenant);
            return this;
        }
        if (tenant.Defaults.Count == 0) return this;

        var tools = new JsonArray();
        var installed = SessionUpdateTools.Merge(tools, [], tenant, [], null);
        var id = NextEventId();
        var update = new JsonObject
        {
            ["type"] = "session.update",
            ["event_id"] = id,
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = tools },
        };
        // Its session.updated is this layer's, not the client's: swallowed (the checkpoint still records it).
        _hiddenUpdateId = id;
        _installed = installed;
        try
        {
            await inner.SendEventAsync(0, WireJson.ToUtf8Bytes(update), cancellationToken);
            _logger.LogInformation("Default tools installed: {Tools}", string.Join(", ", installed.Keys));
        }
        catch (Exception e)
        {
            // The provider's own reader reports a dead connection; the session goes on without the defaults.
            _hiddenUpdateId = null;
            _installed = NoTools;
            _logger.LogWarning("Could not install the default tools: {Error}", e.Message);
        }
        return this;
    }

    private async Task<TenantTools> FetchInitialAsync(bool resumed)
    {
        try
        {
            // A re-attached session's tools are already installed: a list a few seconds old is as good, and a failover
            // re-attaches many sessions of a tenant at once (see ServerTools.ListForResumeAsync).
            return await (resumed ? _tools.ListForResumeAsync(_tenantId, _stop.Token) : _tools.ListAsync(_tenantId, _stop.Token));
        }
        catch (Exception e)
        {
            _logger.LogWarning("Tools service unavailable at session start ({Error}); the session has no default tools", e.Message);
            return TenantTools.None;
        }
    }

    private async Task KeepTenantToolsAsync() => _tenant = await _initialTools; // FetchInitialAsync never throws

    private static bool HasNamedTools(SessionResumeState resume) =>
        resume.Session is { ValueKind: JsonValueKind.Object } session && session.TryGetProperty("tools", out var tools)
        && tools.ValueKind == JsonValueKind.Array && tools.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("name", out _));

    /// <summary>After a re-attach: the restored session's function tools that are the tenant's server-side tools.</summary>
    private static IReadOnlyDictionary<string, ToolDefinition> Restored(SessionResumeState resume, TenantTools tenant)
    {
        if (resume.Session is not { ValueKind: JsonValueKind.Object } session || !session.TryGetProperty("tools", out var tools)
            || tools.ValueKind != JsonValueKind.Array)
            return NoTools;
        var installed = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && tenant.Tools.TryGetValue(name.GetString()!, out var definition))
                installed[definition.Name] = definition;
        }
        return installed;
    }

    // ---------------------------------------------------------------- client → provider

    /// <summary>Audio never enters this layer.</summary>
    public ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken) =>
        Inner.SendAudioAsync(inputSeq, pcm16, sampleRate, eventId, cancellationToken);

    public ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var kind = ToolEventKinds.Of(json.Span);
        if (kind == ToolEventKind.SessionUpdate) return SessionUpdateAsync(inputSeq, json, cancellationToken);
        if (HasCallsInFlight && kind is ToolEventKind.ResponseCancel or ToolEventKind.ResponseCreate or ToolEventKind.ItemCreate)
            SupersedeCalls(kind, json.Span);
        return Inner.SendEventAsync(inputSeq, json, cancellationToken);
    }

    private async ValueTask SessionUpdateAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var root = JsonNode.Parse(json.Span) as JsonObject;
        if (root?["session"] is not JsonObject session || session["tools"] is not JsonArray tools)
        {
            // Tools left as they are (or a shape the provider will report on).
            await Inner.SendEventAsync(inputSeq, json, cancellationToken);
            return;
        }

        var eventId = root["event_id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        var errors = new List<RealtimeErrorEvent>();
        var named = SessionUpdateTools.NamedPlatformTools(tools, errors, eventId);
        var tenant = named.Count > 0 ? await RefreshTenantToolsAsync(eventId, errors, cancellationToken) : _tenant;
        var installed = SessionUpdateTools.Merge(tools, named, tenant, errors, eventId);
        foreach (var error in errors) await _downstream.EventAsync(CanonicalEvent.Of(error), cancellationToken);
        _installed = installed;
        await Inner.SendEventAsync(inputSeq, WireJson.ToUtf8Bytes(root), cancellationToken);
    }

    /// <summary>The tenant's tools as they are now (tools registered after the session started count); the last known on failure.</summary>
    private async Task<TenantTools> RefreshTenantToolsAsync(string? eventId, List<RealtimeErrorEvent> errors, CancellationToken cancellationToken)
    {
        if (_tools.Options.Enabled != true)
        {
            errors.Add(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "tools_unavailable",
                "Platform tools are not available on this deployment.", "session.tools", eventId));
            return _tenant;
        }
        try
        {
            return _tenant = await _tools.ListAsync(_tenantId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Tools service unavailable for session.update ({Error}); using the tools known so far", e.Message);
            errors.Add(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "tools_unavailable",
                "The tool registry is unavailable; platform tools were resolved from what was known before.", "session.tools", eventId));
            return _tenant;
        }
    }

    // ---------------------------------------------------------------- provider → client

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
        _downstream.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        // Sessions without platform tools pay nothing beyond these reads.
        if (_installed.Count == 0 && Volatile.Read(ref _injected) == 0 && !HasCallsInFlight && !_endAfterReply)
            return _downstream.EventAsync(serverEvent, cancellationToken);
        return ObserveAsync(serverEvent, cancellationToken);
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) =>
        _downstream.EndAsync(closeStatus, reason, cancellationToken);

    private async ValueTask ObserveAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        var json = serverEvent.Json;
        switch (ToolEventKinds.Of(serverEvent.Type))
        {
            case ToolEventKind.SessionUpdated when _hiddenUpdateId is not null:
                _hiddenUpdateId = null;
                return;
            case ToolEventKind.Error when IsOwnError(json.Span):
                return;
            case ToolEventKind.SpeechStarted when HasCallsInFlight:
                CancelCalls(all: true, "the user started speaking");
                break;
            case ToolEventKind.CallCancelled when HasCallsInFlight:
                CancelCall(json.Span);
                break;
            case ToolEventKind.OutputItemDone or ToolEventKind.ItemDone:
                serverEvent = serverEvent.WithJson(MarkItem(json));
                break;
            case ToolEventKind.ResponseDone:
                await ResponseDoneAsync(serverEvent, cancellationToken);
                return;
        }
        await _downstream.EventAsync(serverEvent, cancellationToken);
    }

    /// <summary>An error about an event this layer sent: logged, not shown to the client (it did not send that event).</summary>
    private bool IsOwnError(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\"vptool_"u8) < 0) return false;
        var error = JsonNode.Parse(json)?["error"];
        if (error?["event_id"] is not JsonValue value || !value.TryGetValue<string>(out var eventId) || !eventId.StartsWith(EventIdPrefix, StringComparison.Ordinal))
            return false;
        if (eventId == _hiddenUpdateId) _hiddenUpdateId = null;
        _logger.LogWarning("Provider rejected the server-tool layer's event {EventId}: {Error}", eventId, error.ToJsonString());
        return true;
    }

    private string NextEventId()
    {
        Interlocked.Increment(ref _injected);
        return RealtimeIds.New(EventIdPrefix.TrimEnd('_'));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        if (_inner is not null) await _inner.DisposeAsync();
        _stop.Dispose();
    }
}

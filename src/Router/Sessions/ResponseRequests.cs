using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// The client's <c>response.create</c> frames handed to the provider and not yet answered, oldest first. The provider
/// answers them in order (one response at a time), so the next <c>response.created</c> answers the oldest; an
/// <c>error</c> that names a request's <c>event_id</c> refuses it. The Gateway is told which frame a response answers
/// (<c>ServerEvent.answers_seq</c>), so after a Router change it re-asks exactly the requests whose answer it never saw
/// complete. A drain waits until none is pending: a request whose response has not started yet must not be cut.
/// Thread-safe: requests come from the relay loop, answers from the provider's reader.
/// </summary>
public sealed class ResponseRequests
{
    private const int Capacity = 64; // a client cannot have more in flight usefully; the oldest beyond is forgotten

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly LinkedList<(ulong Seq, string? EventId, long Ordinal)> _pending = new();
    private readonly AnsweredResponses _answered = new(Capacity); // response id -> the request it answers, for the records

    private TaskCompletionSource? _none;
    private int _count;
    private long _registered; // requests registered so far: the ordinal of the latest

    public ResponseRequests(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>A response.create (client frame <paramref name="seq"/>) is about to be handed to the provider.</summary>
    public void Requested(ulong seq, string? eventId)
    {
        lock (_gate)
        {
            _pending.AddLast((seq, eventId, ++_registered));
            if (_pending.Count > Capacity) _pending.RemoveFirst();
            _count = _pending.Count;
        }
    }

    /// <summary>
    /// Follows a server event on its way to the Gateway. For a <c>response.created</c>, the frame it answers (0 if none
    /// was pending: the server started it).
    /// </summary>
    public ulong Observe(CanonicalEvent serverEvent)
    {
        if (Volatile.Read(ref _count) == 0) return 0;
        var type = serverEvent.Type;
        var json = serverEvent.Json.Span;
        if (type == "response.created") return Answered(json);
        if (type == "error" && ClientEventId(json) is { } eventId) Refused(eventId);
        return 0;
    }

    /// <summary>
    /// How many of the first <paramref name="handed"/> requests, in the order they were registered, are not answered yet.
    /// A provider switch asks for these again; a request registered later is still on its way and reaches the new
    /// provider itself, however close the two moments are.
    /// </summary>
    public int UnansweredAmongFirst(long handed)
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var request in _pending)
            {
                if (request.Ordinal <= handed) count++;
            }
            return count;
        }
    }

    /// <summary>Waits until no request is pending, or <paramref name="timeout"/>.</summary>
    public async Task WaitUntilNoneAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task none;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            _none ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            none = _none.Task;
        }
        try
        {
            await none.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The provider never answered: hand off anyway (the Gateway re-asks it on the next Router).
        }
    }

    /// <summary>The request (client frame seq) the response answers, once its <c>response.created</c> passed; null when the server started it.</summary>
    public ulong? RequestOf(string responseId)
    {
        lock (_gate) return _answered.Find(responseId);
    }

    private ulong Answered(ReadOnlySpan<byte> json)
    {
        lock (_gate)
        {
            if (_pending.First is not { } first) return 0;
            _pending.RemoveFirst();
            Changed();
            if (CreatedResponseId(json) is { } responseId) _answered.Add(responseId, first.Value.Seq);
            return first.Value.Seq;
        }
    }

    private static string? CreatedResponseId(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
                && response.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Refused(string eventId)
    {
        lock (_gate)
        {
            for (var node = _pending.First; node is not null; node = node.Next)
            {
                if (node.Value.EventId != eventId) continue;
                _pending.Remove(node);
                Changed();
                return;
            }
        }
    }

    private void Changed()
    {
        _count = _pending.Count;
        if (_pending.Count > 0) return;
        _none?.TrySetResult();
        _none = null;
    }

    /// <summary>The client's event id an <c>error</c> event names (<c>error.event_id</c>).</summary>
    private static string? ClientEventId(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("event_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json;
using VoicePlatform.Contracts.Router;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime.Failover;

/// <summary>
/// The turns of one session that a Router change must not lose or double, as the client saw them. It keeps the
/// client's <c>response.create</c> frames until the client saw their answer end (<c>response.done</c> from a Router, or
/// an <c>error</c> naming the request), and its <c>conversation.item.create</c> frames until the client saw the item
/// and an answer after it — even when the Router already acknowledged them as safe — because only the Gateway knows
/// what the client saw:
/// <list type="bullet">
/// <item>after a re-attach, an unanswered request is given to the next Router again (its response never started, or
/// was cut: the client got <c>response.done</c> failed for that one, then gets a fresh answer); an answered one never is;</item>
/// <item>items are given again with their ids; the next Router drops those its restored conversation holds, and a
/// re-applied item's <c>conversation.item.added/done</c> the client already had are not shown twice;</item>
/// <item>a response the server started itself (server VAD) and the Router change cut is re-asked with a plain
/// <c>response.create</c> (<see cref="Cut"/>). The next provider may already be answering (its VAD heard the
/// replayed speech end): the re-ask is then refused with <c>conversation_already_has_active_response</c>, which is the
/// platform's business, not the client's, and is kept from it.</item>
/// </list>
/// Thread-safe: frames are tracked by the client loop, events observed by the Router reader, replays read by the writer.
/// </summary>
public sealed class TurnLedger
{
    private const int Capacity = 256; // entries kept at most; the oldest beyond are long checkpointed and answered

    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];                                       // by seq
    private readonly Dictionary<string, ulong> _openResponses = new(StringComparer.Ordinal); // response id -> request seq (0: server-started)
    private readonly Dictionary<string, List<string>> _outputItems = new(StringComparer.Ordinal); // open response id -> its output item ids
    private readonly HashSet<string> _cutItemIds = new(StringComparer.Ordinal); // output of responses a Router change cut
    private readonly List<CutResponse> _cutResponses = []; // those responses: what an earlier Router recorded for them is void
    private readonly RecentItems _seenItems = new(Capacity); // items forwarded to the client, latest last
    private readonly List<string> _reaskIds = []; // event ids of the re-asks Cut made (the client never sent them)

    /// <summary>A client frame was numbered and buffered: keep its turn events.</summary>
    public void Track(SessionClientFrame frame)
    {
        if (frame.FrameCase != SessionClientFrame.FrameOneofCase.ClientEvent) return;
        var (type, eventId, itemId) = Read(frame.ClientEvent.Json.Span);
        if (type is not ("response.create" or "conversation.item.create")) return;
        lock (_gate)
        {
            _entries.Add(new Entry(frame, type == "response.create", eventId, itemId));
            if (_entries.Count > Capacity) _entries.RemoveAt(0);
        }
    }

    /// <summary>
    /// Follows a Router's server event; false when the client must not see it: a re-applied item's events it already
    /// saw, or the refusal of a re-ask because a response is already running.
    /// </summary>
    public bool Observe(string? type, ReadOnlySpan<byte> json, ulong answersSeq)
    {
        switch (type)
        {
            case "response.created":
                if (ResponseId(json) is { } created)
                    lock (_gate) _openResponses[created] = answersSeq;
                return true;
            case "response.output_item.added":
                if (Nested(json, "item", "id") is { } outputItem && ResponseIdOf(json) is { } owner)
                    lock (_gate)
                        if (_openResponses.ContainsKey(owner)) AddOutputItem(owner, outputItem);
                return true;
            case "response.done":
                if (ResponseId(json) is { } done)
                    lock (_gate)
                    {
                        _outputItems.Remove(done);
                        Answered(_openResponses.Remove(done, out var seq) ? seq : 0);
                    }
                return true;
            case "error":
                if (ErrorEventId(json) is not { } refused) return true;
                lock (_gate)
                {
                    _entries.RemoveAll(e => e.IsResponse && e.EventId == refused);
                    // A re-ask refused because a response is already running: that response is the answer it asked for.
                    if (_reaskIds.Remove(refused) && Nested(json, "error", "code") == "conversation_already_has_active_response") return false;
                }
                return true;
            case "conversation.item.added" or "conversation.item.done":
                if (ItemId(json) is not { } itemId) return true;
                lock (_gate)
                {
                    _seenItems.Add(itemId);
                    var entry = _entries.Find(e => !e.IsResponse && e.ItemId == itemId);
                    if (entry is null) return true;
                    if (type == "conversation.item.added") return !Exchange(ref entry.Added);
                    return !Exchange(ref entry.Done);
                }
            default:
                return true;
        }
    }

    /// <summary>
    /// The Router stream broke (or was handed back) with <paramref name="openResponseId"/> streaming: its request stays
    /// to be asked again; a response the server started gets a plain <c>response.create</c> to re-ask it (to append as
    /// a new client frame). Null when nothing needs asking.
    /// </summary>
    public SessionClientFrame? Cut(string? openResponseId)
    {
        lock (_gate)
        {
            var serverStarted = openResponseId is not null && _openResponses.TryGetValue(openResponseId, out var seq) && seq == 0;
            // The client saw this output end failed: the next Router must not keep it in the conversation either.
            List<string>? cut = null;
            if (openResponseId is not null && _outputItems.TryGetValue(openResponseId, out cut)) _cutItemIds.UnionWith(cut);
            if (openResponseId is not null && _openResponses.ContainsKey(openResponseId))
            {
                var response = new CutResponse { ResponseId = openResponseId };
                if (cut is not null) response.ItemIds.Add(cut);
                _cutResponses.Add(response);
                if (_cutResponses.Count > Capacity) _cutResponses.RemoveAt(0);
            }
            _openResponses.Clear();
            _outputItems.Clear();
            if (!serverStarted) return null;
        }
        var eventId = RealtimeIds.New("event");
        lock (_gate)
        {
            _reaskIds.Add(eventId);
            if (_reaskIds.Count > 16) _reaskIds.RemoveAt(0); // a re-ask per Router change; older ones were answered long ago
        }
        var reask = $$"""{"type":"response.create","event_id":"{{eventId}}"}""";
        return new SessionClientFrame { ClientEvent = new ClientEvent { Json = Google.Protobuf.ByteString.CopyFromUtf8(reask) } };
    }

    /// <summary>Ids of the kept items whose <c>conversation.item.done</c> the client has not seen (for the next Router's start).</summary>
    public IReadOnlyList<string> UnseenItemIds()
    {
        lock (_gate)
            return _entries.Where(e => !e.IsResponse && !e.Done && e.ItemId is not null).Select(e => e.ItemId!).Concat(_cutItemIds).ToList();
    }

    /// <summary>
    /// The latest items forwarded to the client (oldest first): the next Router cuts a checkpointed answer after all of
    /// them, which the client never saw. Empty until this Gateway forwarded one (then the next Router cuts nothing).
    /// </summary>
    public IReadOnlyList<string> SeenItemIds()
    {
        lock (_gate) return _seenItems.ToList();
    }

    /// <summary>
    /// The responses the client saw cut by Router changes since the last answer (with their output items): what an
    /// earlier Router recorded for them is void, whether a request or the server started them.
    /// </summary>
    public IReadOnlyList<CutResponse> CutResponses()
    {
        lock (_gate) return _cutResponses.Select(r => r.Clone()).ToList();
    }

    /// <summary>
    /// Seqs of the kept requests (answer never seen complete): the next Router asks them again, and what an earlier
    /// Router recorded for them is void.
    /// </summary>
    public IReadOnlyList<ulong> ReaskedSeqs()
    {
        lock (_gate) return _entries.Where(e => e.IsResponse).Select(e => e.Frame.Seq).ToList();
    }

    /// <summary>Turn frames already acknowledged (so no longer buffered) that the next Router must still be given, in order.</summary>
    public IReadOnlyList<SessionClientFrame> RetainedBefore(ulong firstUnacknowledged)
    {
        lock (_gate) return _entries.Where(e => e.Frame.Seq < firstUnacknowledged).Select(e => e.Frame).ToList();
    }

    /// <summary>
    /// Whether a buffered client event goes to the next Router after a re-attach: a request only while unanswered, an
    /// item while kept here; other control events only if the previous Router had not handed them to its provider.
    /// </summary>
    public bool ShouldReplay(SessionClientFrame frame, ulong handedSeq)
    {
        lock (_gate)
        {
            if (_entries.Find(e => e.Frame.Seq == frame.Seq) is not null) return true;
        }
        if (Read(frame.ClientEvent.Json.Span).Type == "response.create") return false; // answered (or refused) already
        return frame.Seq > handedSeq;
    }

    /// <summary>A Router ended a response: its request is answered, and the turn events before it are settled.</summary>
    private void Answered(ulong requestSeq)
    {
        _cutItemIds.Clear(); // an answer came after the cut: the conversation moved on past it
        _cutResponses.Clear(); // and the Router that answered was told to void them when it started

        if (requestSeq == 0)
        {
            // A server-started answer settles items the client saw done (they are in the conversation by now).
            _entries.RemoveAll(e => !e.IsResponse && e.Done);
            return;
        }
        _entries.RemoveAll(e => e.Frame.Seq <= requestSeq);
    }

    private void AddOutputItem(string responseId, string itemId)
    {
        if (!_outputItems.TryGetValue(responseId, out var items)) _outputItems[responseId] = items = [];
        items.Add(itemId);
    }

    private static string? ResponseIdOf(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object ? Str(document.RootElement, "response_id") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Exchange(ref bool flag)
    {
        var was = flag;
        flag = true;
        return was;
    }

    private static (string? Type, string? EventId, string? ItemId) Read(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return default;
            return (Str(root, "type"), Str(root, "event_id"),
                root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object ? Str(item, "id") : null);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? ResponseId(ReadOnlySpan<byte> json) => Nested(json, "response", "id");

    private static string? ItemId(ReadOnlySpan<byte> json) => Nested(json, "item", "id");

    private static string? ErrorEventId(ReadOnlySpan<byte> json) => Nested(json, "error", "event_id");

    private static string? Nested(ReadOnlySpan<byte> json, string parent, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(parent, out var inner)
                && inner.ValueKind == JsonValueKind.Object ? Str(inner, name) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed class Entry(SessionClientFrame frame, bool isResponse, string? eventId, string? itemId)
    {
        public SessionClientFrame Frame { get; } = frame;
        public bool IsResponse { get; } = isResponse;
        public string? EventId { get; } = eventId;
        public string? ItemId { get; } = itemId;
        public bool Added;
        public bool Done;
    }
}

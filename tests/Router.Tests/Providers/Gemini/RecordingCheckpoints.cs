using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Records the provider state a connector hands to the checkpoint, in order.</summary>
public sealed class RecordingCheckpoints : ISessionCheckpoints
{
    private readonly Lock _lock = new();
    private readonly List<(string Name, string Value)> _calls = [];

    public IReadOnlyList<(string Name, string Value)> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The latest value per name (what Redis would hold).</summary>
    public Dictionary<string, string> State
    {
        get
        {
            var state = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in Calls)
            {
                state[name] = value;
            }

            return state;
        }
    }

    public void SetProviderState(string name, string value)
    {
        lock (_lock)
        {
            _calls.Add((name, value));
        }
    }

    private readonly List<(string ItemId, int ContentIndex, string Transcript)> _transcripts = [];

    /// <summary>Transcripts handed over directly (the client did not see them as events), in order.</summary>
    public IReadOnlyList<(string ItemId, int ContentIndex, string Transcript)> Transcripts
    {
        get
        {
            lock (_lock)
            {
                return [.. _transcripts];
            }
        }
    }

    public void RecordTranscript(string itemId, int contentIndex, string transcript)
    {
        lock (_lock)
        {
            _transcripts.Add((itemId, contentIndex, transcript));
        }
    }
}

/// <summary>Builds the resume state a checkpoint would hold, the way the Router's SessionCheckpointer does.</summary>
public static class CheckpointBuilder
{
    public static SessionResumeState From(RecordingSink sink, RecordingCheckpoints checkpoints)
    {
        JsonElement? session = null;
        var items = new List<(string Id, JsonObject Item)>();
        foreach (var e in sink.Events)
        {
            switch (e.Type)
            {
                case "session.created" or "session.updated":
                    session = e.Json.GetProperty("session").Clone();
                    break;
                case "conversation.item.done":
                    var item = JsonNode.Parse(e.Json.GetProperty("item").GetRawText())!.AsObject();
                    if (item["content"] is JsonArray content)
                    {
                        foreach (var part in content.OfType<JsonObject>())
                        {
                            part.Remove("audio");
                            if (part["image_url"]?.GetValue<string>().StartsWith("data:", StringComparison.OrdinalIgnoreCase) == true) part.Remove("image_url");
                        }
                    }

                    var id = item["id"]!.GetValue<string>();
                    var index = items.FindIndex(i => i.Id == id);
                    if (index >= 0) items[index] = (id, item); else items.Add((id, item));
                    break;
                case "conversation.item.deleted":
                    items.RemoveAll(i => i.Id == e.Str("item_id"));
                    break;
                case "conversation.item.input_audio_transcription.completed":
                    var target = items.Find(i => i.Id == e.Str("item_id")).Item;
                    if (target?["content"] is JsonArray parts && parts.Count > e.Json.GetProperty("content_index").GetInt32()
                        && parts[e.Json.GetProperty("content_index").GetInt32()] is JsonObject p)
                    {
                        p["transcript"] = e.Str("transcript");
                    }

                    break;
            }
        }

        foreach (var (itemId, contentIndex, transcript) in checkpoints.Transcripts)
        {
            if (items.Find(i => i.Id == itemId).Item?["content"] is JsonArray parts && parts.Count > contentIndex && parts[contentIndex] is JsonObject p)
            {
                p["transcript"] = transcript;
            }
        }

        var history = items.Select(i => JsonDocument.Parse(i.Item.ToJsonString()).RootElement.Clone()).ToList();
        return new SessionResumeState(session, history, checkpoints.State);
    }

    public static SessionResumeState WithProviderState(this SessionResumeState state, string name, string value)
    {
        var provider = new Dictionary<string, string>(state.ProviderState, StringComparer.Ordinal) { [name] = value };
        return state with { ProviderState = provider };
    }
}

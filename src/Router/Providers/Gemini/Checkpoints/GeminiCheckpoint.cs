using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// What the checkpoint records about the Gemini side of a session (the latest resumable handle, when it was issued, the
/// last conversation item and client frame its state covers, the conversation's id), and how a checkpointed session is
/// read back on this Router: its configuration, its conversation, the calls left without an output, and the handle
/// worth trying.
/// </summary>
internal sealed class GeminiCheckpoint(ProviderSessionContext context, GeminiProviderOptions options, ILogger logger)
{
    /// <summary>Provider state names (the checkpoint stores them as <c>provider:&lt;name&gt;</c>).</summary>
    internal const string HandleKey = "gemini_handle";
    internal const string HandleAtKey = "gemini_handle_at";
    internal const string HandleItemKey = "gemini_handle_item";
    internal const string HandleInputSeqKey = "gemini_handle_input_seq";
    internal const string ConversationKey = "gemini_conversation";
    internal const string ImagesKey = "gemini_images";

    /// <summary>A new session's conversation id: responses name it, and a resumed session keeps it.</summary>
    public void RecordConversation(string conversationId) => context.Checkpoints.SetProviderState(ConversationKey, conversationId);

    /// <summary>The handle, with its time, the last item its state covers and the last client frame it took in.</summary>
    public void RecordHandle(string handle, string? coveredItemId, ulong coveredInputSeq)
    {
        var checkpoints = context.Checkpoints;
        checkpoints.SetProviderState(HandleKey, handle);
        checkpoints.SetProviderState(HandleAtKey, context.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        checkpoints.SetProviderState(HandleItemKey, coveredItemId ?? string.Empty);
        checkpoints.SetProviderState(HandleInputSeqKey, coveredInputSeq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The session's image references (no bytes: a checkpoint write would carry up to ~13 MB per image).</summary>
    public void RecordImages(IReadOnlyList<ImageReference> references) =>
        context.Checkpoints.SetProviderState(ImagesKey, JsonSerializer.Serialize(references));

    /// <summary>The handle was refused: no later Router tries it either.</summary>
    public void ForgetHandle()
    {
        context.Checkpoints.SetProviderState(HandleKey, string.Empty);
        context.Checkpoints.SetProviderState(HandleItemKey, string.Empty);
        context.Checkpoints.SetProviderState(HandleInputSeqKey, string.Empty);
    }

    /// <summary>
    /// Reads the checkpoint into <paramref name="conversation"/> and returns the rest: the configuration (null when the
    /// checkpoint has none), the calls without an output, and the handle worth trying (recorded and not older than
    /// <see cref="GeminiProviderOptions.ResumptionHandleValidity"/>; an expired one is forgotten).
    /// </summary>
    public RestoredGeminiSession Restore(SessionResumeState resume, LocalConversation conversation, long defaultExpiresAt)
    {
        var config = resume.Session is { ValueKind: JsonValueKind.Object } session ? RestoreConfig(session, defaultExpiresAt) : null;
        if (resume.ProviderValue(ConversationKey) is { Length: > 0 } conversationId)
        {
            conversation.Id = conversationId;
        }

        RestoreImages(resume, conversation.Images);

        var assistantAudio = false;
        var orphaned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var json in resume.History)
        {
            if (ConversationHistory.FromCheckpoint(json) is not { } item || conversation.Contains(item.Id))
            {
                logger.LogDebug("Gemini session {SessionId}: checkpointed item skipped: {Item}", context.SessionId, Shorten(json.GetRawText()));
                continue;
            }

            conversation.Insert(item);
            assistantAudio |= item.IsAssistantMessage && item.Content.Any(c => c.Type == "output_audio");
            if (item.Type == "function_call")
            {
                orphaned[item.CallId!] = item.Name ?? string.Empty;
            }
            else if (item.Type == "function_call_output")
            {
                orphaned.Remove(item.CallId!);
            }
        }

        return new RestoredGeminiSession(config, orphaned, assistantAudio, UsableHandle(resume),
            ulong.TryParse(resume.ProviderValue(HandleInputSeqKey), NumberStyles.None, CultureInfo.InvariantCulture, out var covered) ? covered : 0);
    }

    /// <summary>
    /// After resuming with the checkpointed handle: the items its state does not cover (added after it was issued), as
    /// turns to send up with the next one.
    /// </summary>
    public static IEnumerable<PendingTurn> Uncovered(SessionResumeState resume, LocalConversation conversation)
    {
        var covered = resume.ProviderValue(HandleItemKey);
        var items = conversation.Items;
        var start = 0;
        if (!string.IsNullOrEmpty(covered))
        {
            var index = -1;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Id == covered)
                {
                    index = i;
                    break;
                }
            }

            // Not found (deleted since): nothing tells what is missing; assume the handle has it all.
            start = index < 0 ? items.Count : index + 1;
        }
        else if (covered is null)
        {
            // Recorded by a connector that did not track it: assume the handle has it all.
            start = items.Count;
        }

        for (var i = start; i < items.Count; i++)
        {
            if (ConversationHistory.ToTurn(items[i], conversation) is { } turn)
            {
                yield return new PendingTurn(turn.Role, turn.Text, null, items[i].Id);
            }
        }
    }

    private void RestoreImages(SessionResumeState resume, SessionImages images)
    {
        try
        {
            if (resume.ProviderValue(ImagesKey) is { Length: > 0 } json)
            {
                images.Restore(JsonSerializer.Deserialize<List<ImageReference>>(json) ?? []);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Gemini session {SessionId}: checkpointed image references skipped: {Message}", context.SessionId, ex.Message);
        }
    }

    private string? UsableHandle(SessionResumeState resume)
    {
        var handle = resume.ProviderValue(HandleKey);
        if (string.IsNullOrEmpty(handle))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(resume.ProviderValue(HandleAtKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var issuedAt)
            && context.Time.GetUtcNow() - issuedAt > options.ResumptionHandleValidity)
        {
            logger.LogInformation("Gemini session {SessionId}: the checkpointed handle is from {IssuedAt:O}, past its validity; rebuilding from history",
                context.SessionId, issuedAt);
            ForgetHandle();
            return null;
        }

        return handle;
    }

    /// <summary>The checkpointed session object through the session.update parser (the full object, field by field if one no longer parses).</summary>
    private RealtimeSessionConfig RestoreConfig(JsonElement session, long defaultExpiresAt)
    {
        var fields = JsonNode.Parse(session.GetRawText())!.AsObject();
        var expiresAt = fields["expires_at"] is JsonValue e && e.TryGetValue<long>(out var at) ? at : defaultExpiresAt;
        // Read-only parts of a session.created: not client-settable, so not part of an update.
        fields.Remove("id");
        fields.Remove("object");
        fields.Remove("expires_at");
        fields["type"] = "realtime";

        var restored = new RealtimeSessionConfig { Id = context.SessionId, Model = context.Model.Id, ExpiresAt = expiresAt };
        var features = GeminiModelProfile.For(context.Model.UpstreamModel).Features(context.Model.Capabilities);
        using var document = JsonDocument.Parse(fields.ToJsonString());
        if (SessionUpdateParser.Apply(document.RootElement, restored, assistantAudioPresent: false, features) is not { } error)
        {
            return restored;
        }

        // Something that was valid then is not now (e.g. a catalog change): keep every field that still parses.
        logger.LogWarning("Gemini session {SessionId}: checkpointed session field {Param} no longer applies ({Message}); restoring the rest",
            context.SessionId, error.Param, error.Message);
        restored = new RealtimeSessionConfig { Id = context.SessionId, Model = context.Model.Id, ExpiresAt = expiresAt };
        foreach (var (name, value) in fields)
        {
            var single = new JsonObject { ["type"] = "realtime" };
            if (name != "type")
            {
                single[name] = value?.DeepClone();
            }

            var candidate = restored.Clone();
            using var one = JsonDocument.Parse(single.ToJsonString());
            if (SessionUpdateParser.Apply(one.RootElement, candidate, assistantAudioPresent: false, features) is null)
            {
                restored = candidate;
            }
        }

        return restored;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The GA session fields whose meaning is the platform's, checked the same way for every provider: <c>model</c> (the
/// client chose the model when it connected; restating it is fine, naming another is an error, and the field is
/// removed before the event goes on because providers know their own upstream name) and <c>max_output_tokens</c>
/// (1–4096 or <c>"inf"</c>, in <c>session.update</c> and in <c>response.create</c>'s <c>response</c>).
/// </summary>
public static class PlatformSessionFields
{
    public const int MaxOutputTokensLimit = 4096;

    /// <summary>Checks (and strips <c>model</c> from) a session.update's <c>session</c> object.</summary>
    public static RealtimeErrorEvent? CheckSession(JsonObject session, SessionModel? sessionModel, string? eventId)
    {
        if (session.TryGetPropertyValue("model", out var modelNode))
        {
            if (modelNode is not JsonValue modelValue || modelValue.GetValueKind() != JsonValueKind.String)
                return RealtimeErrorEvent.WrongType("session.model", "a string", eventId);
            var named = modelValue.GetValue<string>();
            if (sessionModel is not null && !sessionModel.IsNamedBy(named))
            {
                return RealtimeErrorEvent.Invalid("invalid_value",
                    $"Invalid value for 'session.model': the session uses '{sessionModel.ConnectedAs}' (chosen when connecting) and its model cannot be changed to '{named}'. Open a new session for another model.",
                    "session.model", eventId);
            }
            session.Remove("model");
        }
        return CheckMaxOutputTokens(session, "session.max_output_tokens", eventId);
    }

    /// <summary>Checks a response.create's optional <c>response</c> object.</summary>
    public static RealtimeErrorEvent? CheckResponse(JsonObject response, string? eventId) =>
        CheckMaxOutputTokens(response, "response.max_output_tokens", eventId);

    private static RealtimeErrorEvent? CheckMaxOutputTokens(JsonObject owner, string path, string? eventId)
    {
        if (!owner.TryGetPropertyValue("max_output_tokens", out var node) || node is null) return null;
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String when value.GetValue<string>() == "inf":
                    return null;
                case JsonValueKind.Number when value.TryGetValue<long>(out var n) && n is >= 1 and <= MaxOutputTokensLimit:
                    return null;
                case JsonValueKind.Number or JsonValueKind.String:
                    return RealtimeErrorEvent.Invalid("invalid_value",
                        $"Invalid value for '{path}': expected an integer from 1 to {MaxOutputTokensLimit} or 'inf', but got {node.ToJsonString(VoicePlatform.Contracts.Json.WireJson.Options)}.", path, eventId);
            }
        }
        return RealtimeErrorEvent.WrongType(path, $"an integer from 1 to {MaxOutputTokensLimit} or 'inf'", eventId);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// The session fields only some models take: OpenAI's <c>reasoning</c> (openai-realtime-2026-additions.md §2) and our
/// <c>extensions</c> object (docs/realtime-protocol.md). A value is validated first, as OpenAI does, then refused with
/// <c>unsupported_parameter</c> when the model lacks the feature.
/// </summary>
public static class ModelFeaturesParser
{
    public const string AffectiveDialog = "affective_dialog";
    public const string ProactiveAudio = "proactive_audio";

    private static readonly string[] Efforts = ["minimal", "low", "medium", "high", "xhigh"];

    public static ClientError? ApplyReasoning(JsonElement v, string at, RealtimeSessionConfig target, SessionFeatures features)
    {
        if (ParseReasoning(v, at, out var reasoning) is { } invalid)
        {
            return invalid;
        }

        if (!features.Reasoning)
        {
            return Unsupported(at);
        }

        target.Reasoning = reasoning;
        return null;
    }

    /// <summary>A partial update: a key left out keeps its value; <c>null</c> for the object turns both off.</summary>
    public static ClientError? ApplyExtensions(JsonElement v, string at, RealtimeSessionConfig target, SessionFeatures features)
    {
        if (v.ValueKind == JsonValueKind.Null)
        {
            target.AffectiveDialog = null;
            target.ProactiveAudio = null;
            return null;
        }

        if ((ClientJson.Object(v, at) ?? ClientJson.OnlyKnown(v, at, AffectiveDialog, ProactiveAudio)) is { } invalid)
        {
            return invalid;
        }

        bool? affective = target.AffectiveDialog;
        bool? proactive = target.ProactiveAudio;
        if (v.TryGetProperty(AffectiveDialog, out var a))
        {
            var path = $"{at}.{AffectiveDialog}";
            if (ClientJson.Bool(a, path, out var on) is { } e)
            {
                return e;
            }

            if (!features.AffectiveDialog)
            {
                return Unsupported(path);
            }

            affective = on;
        }

        if (v.TryGetProperty(ProactiveAudio, out var p))
        {
            var path = $"{at}.{ProactiveAudio}";
            if (ClientJson.Bool(p, path, out var on) is { } e)
            {
                return e;
            }

            switch (features.ProactiveAudio)
            {
                case ProactiveAudioSupport.Unsupported:
                    return Unsupported(path);
                case ProactiveAudioSupport.AlwaysOn when !on:
                    return ClientError.InvalidValueMessage(path,
                        $"Invalid value for '{path}': proactive audio is always on for this model; only true is accepted.");
            }

            proactive = on;
        }

        target.AffectiveDialog = affective;
        target.ProactiveAudio = proactive;
        return null;
    }

    private static ClientError? ParseReasoning(JsonElement v, string at, out JsonNode? reasoning)
    {
        reasoning = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if ((ClientJson.Object(v, at) ?? ClientJson.OnlyKnown(v, at, "effort")) is { } e)
        {
            return e;
        }

        if (v.TryGetProperty("effort", out var effort) && ClientJson.Enum(effort, $"{at}.effort", Efforts, out _) is { } invalid)
        {
            return invalid;
        }

        reasoning = JsonNode.Parse(v.GetRawText());
        return null;
    }

    private static ClientError Unsupported(string at) =>
        new("unsupported_parameter", $"Unsupported parameter: '{at}' is not supported with this model.", at);
}

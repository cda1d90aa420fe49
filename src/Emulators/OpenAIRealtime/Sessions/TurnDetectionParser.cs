using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary><c>session.audio.input.turn_detection</c>: server VAD or semantic VAD, or null for manual turns.</summary>
internal static class TurnDetectionParser
{
    public static RealtimeError? Parse(JsonElement v, string at, out TurnDetectionConfig? turn)
    {
        turn = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        if (JsonRead.Enum(typeEl, $"{at}.type", ["server_vad", "semantic_vad"], out var type) is { } te)
        {
            return te;
        }
        // A new turn_detection object replaces the old one; omitted fields take their defaults.
        var config = new TurnDetectionConfig { Type = type };
        var known = type == "server_vad"
            ? new[] { "type", "threshold", "prefix_padding_ms", "silence_duration_ms", "idle_timeout_ms", "create_response", "interrupt_response" }
            : new[] { "type", "eagerness", "create_response", "interrupt_response" };
        if (JsonRead.OnlyKnown(v, at, known) is { } unknown)
        {
            return unknown;
        }
        foreach (var p in v.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            RealtimeError? error = null;
            switch (p.Name)
            {
                case "threshold":
                    error = JsonRead.Number(p.Value, pat, 0, 1, out var threshold);
                    config = config with { Threshold = threshold };
                    break;
                case "prefix_padding_ms":
                    error = JsonRead.Int(p.Value, pat, 0, 10_000, out var prefix);
                    config = config with { PrefixPaddingMs = prefix };
                    break;
                case "silence_duration_ms":
                    error = JsonRead.Int(p.Value, pat, 0, 10_000, out var silence);
                    config = config with { SilenceDurationMs = silence };
                    break;
                case "idle_timeout_ms":
                    if (p.Value.ValueKind == JsonValueKind.Null)
                    {
                        config = config with { IdleTimeoutMs = null };
                        break;
                    }
                    error = JsonRead.Int(p.Value, pat, 5_000, 30_000, out var idle);
                    config = config with { IdleTimeoutMs = idle };
                    break;
                case "create_response":
                    error = JsonRead.Bool(p.Value, pat, out var create);
                    config = config with { CreateResponse = create };
                    break;
                case "interrupt_response":
                    error = JsonRead.Bool(p.Value, pat, out var interrupt);
                    config = config with { InterruptResponse = interrupt };
                    break;
                case "eagerness":
                    error = JsonRead.Enum(p.Value, pat, ["low", "medium", "high", "auto"], out var eagerness);
                    config = config with { Eagerness = eagerness };
                    break;
            }
            if (error is not null)
            {
                return error;
            }
        }
        turn = config;
        return null;
    }
}

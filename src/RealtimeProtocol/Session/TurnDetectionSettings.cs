using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary><c>audio.input.turn_detection</c> (server_vad or semantic_vad) in effect.</summary>
public sealed record TurnDetectionSettings
{
    public string Type { get; init; } = "server_vad";
    public double Threshold { get; init; } = 0.5;
    public int PrefixPaddingMs { get; init; } = 300;

    /// <summary>OpenAI's real session.created shows 200 (the SDK doc says 500).</summary>
    public int SilenceDurationMs { get; init; } = 200;

    public int? IdleTimeoutMs { get; init; }
    public bool CreateResponse { get; init; } = true;
    public bool InterruptResponse { get; init; } = true;
    public string Eagerness { get; init; } = "auto";

    public bool IsSemantic => Type == "semantic_vad";

    /// <summary>semantic_vad has no silence knob; eagerness picks one.</summary>
    public int EffectiveSilenceMs => !IsSemantic ? SilenceDurationMs : Eagerness switch
    {
        "low" => 1000,
        "high" => 300,
        _ => 600,
    };

    public int EffectivePrefixPaddingMs => IsSemantic ? 300 : PrefixPaddingMs;

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, Type);
        if (IsSemantic)
        {
            w.WriteString("eagerness"u8, Eagerness);
        }
        else
        {
            w.WriteNumber("threshold"u8, Threshold);
            w.WriteNumber("prefix_padding_ms"u8, PrefixPaddingMs);
            w.WriteNumber("silence_duration_ms"u8, SilenceDurationMs);
            if (IdleTimeoutMs is { } idle) w.WriteNumber("idle_timeout_ms"u8, idle); else w.WriteNull("idle_timeout_ms"u8);
        }

        w.WriteBoolean("create_response"u8, CreateResponse);
        w.WriteBoolean("interrupt_response"u8, InterruptResponse);
        w.WriteEndObject();
    }
}

using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

internal enum AudioEncoding
{
    Pcm16,
    PcmU,
    PcmA,
}

/// <summary>
/// One of the three GA formats. Time is counted in ticks of 1/24000 s so positions in PCM (24 kHz) and
/// G.711 (8 kHz, 3 ticks per sample) audio share one clock, as the server's audio_start_ms/audio_end_ms do.
/// </summary>
internal readonly record struct AudioFormat(AudioEncoding Encoding)
{
    public const int TicksPerSecond = 24000;
    public const int TicksPerMs = 24;

    public static AudioFormat Pcm16 => new(AudioEncoding.Pcm16);

    public int SampleRate => Encoding == AudioEncoding.Pcm16 ? 24000 : 8000;
    public int BytesPerSample => Encoding == AudioEncoding.Pcm16 ? 2 : 1;
    public int TicksPerSample => Encoding == AudioEncoding.Pcm16 ? 1 : 3;
    public int BytesPerMs => SampleRate / 1000 * BytesPerSample;

    public string TypeName => Encoding switch
    {
        AudioEncoding.Pcm16 => "audio/pcm",
        AudioEncoding.PcmU => "audio/pcmu",
        _ => "audio/pcma",
    };

    public double DurationMs(long byteCount) => byteCount / (double)BytesPerMs;

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, TypeName);
        if (Encoding == AudioEncoding.Pcm16)
        {
            w.WriteNumber("rate"u8, 24000);
        }
        w.WriteEndObject();
    }

    public static bool TryParseType(string type, out AudioFormat format)
    {
        format = type switch
        {
            "audio/pcm" => new AudioFormat(AudioEncoding.Pcm16),
            "audio/pcmu" => new AudioFormat(AudioEncoding.PcmU),
            "audio/pcma" => new AudioFormat(AudioEncoding.PcmA),
            _ => default,
        };
        return type is "audio/pcm" or "audio/pcmu" or "audio/pcma";
    }
}

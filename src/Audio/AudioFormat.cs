namespace VoicePlatform.Audio;

/// <summary>
/// A mono audio stream format: sample encoding plus sample rate. Value type so that it can be
/// stored per session and compared without allocation.
/// </summary>
public readonly record struct AudioFormat
{
    /// <summary>G.711 is defined for 8 kHz; the OpenAI Realtime protocol uses it only at that rate.</summary>
    public const int G711SampleRate = 8000;

    /// <summary>The OpenAI Realtime protocol's PCM rate (client audio in and out).</summary>
    public const int RealtimePcmSampleRate = 24000;

    public AudioFormat(AudioEncoding encoding, int sampleRate)
    {
        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown audio encoding.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        Encoding = encoding;
        SampleRate = sampleRate;
    }

    public AudioEncoding Encoding { get; }

    /// <summary>Samples per second. Zero only for <c>default(AudioFormat)</c>, which is not a usable format.</summary>
    public int SampleRate { get; }

    public int BytesPerSample => Encoding == AudioEncoding.Pcm16 ? 2 : 1;

    public int BytesPerSecond => BytesPerSample * SampleRate;

    /// <summary>PCM16 at 24 kHz: the Realtime protocol's <c>audio/pcm</c> and Gemini Live's output.</summary>
    public static AudioFormat Pcm16At24kHz { get; } = new(AudioEncoding.Pcm16, 24000);

    /// <summary>PCM16 at 16 kHz: Gemini Live's input.</summary>
    public static AudioFormat Pcm16At16kHz { get; } = new(AudioEncoding.Pcm16, 16000);

    /// <summary>G.711 μ-law at 8 kHz (<c>audio/pcmu</c>).</summary>
    public static AudioFormat Pcmu { get; } = new(AudioEncoding.Pcmu, G711SampleRate);

    /// <summary>G.711 A-law at 8 kHz (<c>audio/pcma</c>).</summary>
    public static AudioFormat Pcma { get; } = new(AudioEncoding.Pcma, G711SampleRate);

    public static AudioFormat Pcm16(int sampleRate) => new(AudioEncoding.Pcm16, sampleRate);

    /// <summary>The Realtime (GA) protocol's name for this encoding: <c>audio/pcm</c>, <c>audio/pcmu</c> or <c>audio/pcma</c>.</summary>
    public string RealtimeType => Encoding switch
    {
        AudioEncoding.Pcmu => "audio/pcmu",
        AudioEncoding.Pcma => "audio/pcma",
        _ => "audio/pcm",
    };

    /// <summary>Playback duration of <paramref name="byteCount"/> bytes in this format (e.g. for billing audio seconds).</summary>
    public TimeSpan GetDuration(long byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        EnsureValid();
        return TimeSpan.FromTicks(byteCount / BytesPerSample * TimeSpan.TicksPerSecond / SampleRate);
    }

    /// <summary>Whole-sample byte count for <paramref name="duration"/> (rounded down).</summary>
    public long GetByteCount(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        EnsureValid();
        return duration.Ticks * SampleRate / TimeSpan.TicksPerSecond * BytesPerSample;
    }

    /// <summary>
    /// Parses a Realtime protocol format: GA names (<c>audio/pcm</c> with optional <paramref name="rate"/>,
    /// <c>audio/pcmu</c>, <c>audio/pcma</c>) and the beta names (<c>pcm16</c>, <c>g711_ulaw</c>, <c>g711_alaw</c>).
    /// PCM defaults to 24 kHz; G.711 accepts no rate but 8 kHz.
    /// </summary>
    public static bool TryParseRealtime(string? type, int? rate, out AudioFormat format)
    {
        format = default;
        if (rate is <= 0)
        {
            return false;
        }

        AudioFormat? parsed = type switch
        {
            "audio/pcm" or "pcm16" => Pcm16(rate ?? RealtimePcmSampleRate),
            "audio/pcmu" or "g711_ulaw" when rate is null or G711SampleRate => Pcmu,
            "audio/pcma" or "g711_alaw" when rate is null or G711SampleRate => Pcma,
            _ => null,
        };
        if (parsed is null)
        {
            return false;
        }

        format = parsed.Value;
        return true;
    }

    public override string ToString() => $"{RealtimeType};rate={SampleRate}";

    internal void EnsureValid()
    {
        if (SampleRate <= 0)
        {
            throw new InvalidOperationException("default(AudioFormat) is not a valid audio format.");
        }
    }
}

namespace VoicePlatform.Audio;

/// <summary>Sample encodings the platform carries on the wire.</summary>
public enum AudioEncoding
{
    /// <summary>Signed 16-bit linear PCM, little-endian, mono.</summary>
    Pcm16 = 0,

    /// <summary>ITU-T G.711 μ-law, one byte per sample, mono.</summary>
    Pcmu = 1,

    /// <summary>ITU-T G.711 A-law, one byte per sample, mono.</summary>
    Pcma = 2,
}

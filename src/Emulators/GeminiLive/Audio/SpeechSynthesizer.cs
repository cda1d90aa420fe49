namespace VoicePlatform.Emulators.GeminiLive.Audio;

/// <summary>
/// Deterministic speech-like audio: a 140 Hz voice with four harmonics, shaped by a ~4 Hz syllable
/// envelope, with short pauses at spaces. Its length follows the reply text so durations and
/// transcript alignment are predictable.
/// </summary>
internal static class SpeechSynthesizer
{
    public const int SampleRate = 24000;

    public static byte[] Synthesize(string text, int msPerCharacter)
    {
        var samplesPerChar = SampleRate * msPerCharacter / 1000;
        var total = Math.Max(1, text.Length) * samplesPerChar;
        var pcm = new byte[total * 2];
        const double f0 = 140;
        for (var i = 0; i < total; i++)
        {
            var t = (double)i / SampleRate;
            var charIndex = Math.Min(text.Length - 1, i / samplesPerChar);
            var isPause = text.Length > 0 && (text[charIndex] == ' ' || char.IsPunctuation(text[charIndex]));

            // Syllable envelope: sin^2 at 4 Hz, dipping to silence at spaces and punctuation.
            var syllable = Math.Sin(Math.PI * 4 * t);
            var envelope = isPause ? 0.05 : 0.15 + 0.85 * syllable * syllable;

            // Gentle pitch movement so it is not a steady tone.
            var pitch = f0 * (1 + 0.05 * Math.Sin(2 * Math.PI * 0.7 * t));
            var phase = 2 * Math.PI * pitch * t;
            var voice = Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.3 * Math.Sin(3 * phase) + 0.15 * Math.Sin(4 * phase);
            var value = (short)Math.Clamp(voice / 1.95 * envelope * 0.35 * short.MaxValue, short.MinValue, short.MaxValue);
            pcm[2 * i] = (byte)value;
            pcm[2 * i + 1] = (byte)(value >> 8);
        }

        return pcm;
    }
}

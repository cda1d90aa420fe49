namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>Token counts split by modality, as in usageMetadata.*TokensDetails.</summary>
internal readonly record struct ModalityTokens(int Text, int Audio, int Video)
{
    public int Total => Text + Audio + Video;

    public static ModalityTokens operator +(ModalityTokens a, ModalityTokens b) =>
        new(a.Text + b.Text, a.Audio + b.Audio, a.Video + b.Video);
}

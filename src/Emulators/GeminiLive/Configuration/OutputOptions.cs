namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public sealed class OutputOptions
{
    /// <summary>Length of reply audio per character of reply text.</summary>
    public int MsPerCharacter { get; set; } = 60;

    /// <summary>Audio per modelTurn chunk.</summary>
    public int ChunkMs { get; set; } = 200;

    /// <summary>Generation speed as a multiple of realtime (the real service is faster than realtime); 0 = unpaced.</summary>
    public double GenerationSpeed { get; set; } = 4;

    /// <summary>Send turnComplete only when the client would have finished playing the audio (the real gap is seconds).</summary>
    public bool TurnCompleteAfterPlayback { get; set; } = true;

    /// <summary>Extra delay between generationComplete and turnComplete.</summary>
    public TimeSpan TurnCompleteDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Text chunk size in characters for TEXT response modality.</summary>
    public int TextChunkChars { get; set; } = 24;
}

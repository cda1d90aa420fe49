using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// <c>voiceActivityDetectionSignal</c>, sent on Vertex with <c>setup.explicitVadSignal</c>: where the server's VAD
/// saw speech start (<c>VAD_SIGNAL_TYPE_SOS</c>) and end (<c>VAD_SIGNAL_TYPE_EOS</c>).
/// </summary>
internal static class VadSignal
{
    public const string StartOfSpeech = "VAD_SIGNAL_TYPE_SOS";
    public const string EndOfSpeech = "VAD_SIGNAL_TYPE_EOS";

    public static void Write(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteStartObject("voiceActivityDetectionSignal");
        w.WriteString("vadSignalType", type);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

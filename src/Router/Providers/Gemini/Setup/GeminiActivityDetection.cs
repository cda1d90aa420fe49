using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>OpenAI turn detection mapped onto Gemini's automatic activity detection sensitivities.</summary>
internal static class GeminiActivityDetection
{
    extension(TurnDetectionSettings turn)
    {
        /// <summary>OpenAI's 0..1 threshold → Gemini start sensitivity: a high threshold is a less sensitive detector.</summary>
        public string? StartSensitivity => turn.IsSemantic ? null : turn.Threshold switch
        {
            >= 0.7 => "START_SENSITIVITY_LOW",
            <= 0.3 => "START_SENSITIVITY_HIGH",
            _ => null,
        };

        /// <summary>semantic_vad eagerness → end sensitivity (eager = ends turns sooner).</summary>
        public string? EndSensitivity => !turn.IsSemantic ? null : turn.Eagerness switch
        {
            "high" => "END_SENSITIVITY_HIGH",
            "low" => "END_SENSITIVITY_LOW",
            _ => null,
        };
    }
}

using VoicePlatform.Contracts.Events;

namespace VoicePlatform.TestSupport.Billing;

/// <summary>Builds <see cref="UsageRecorded"/> events as the Router would publish them, naming only the counts a test cares about.</summary>
public static class UsageEvents
{
    public static UsageRecorded UsageEvent(
        Guid tenantId, string sessionId, string model, DateTimeOffset occurredAt,
        long inputAudio = 0, long inputText = 0, long inputImage = 0,
        long cachedInputAudio = 0, long cachedInputText = 0, long cachedInputImage = 0,
        long outputAudio = 0, long outputText = 0, long connectionMs = 0) =>
        new(Guid.NewGuid(), tenantId, sessionId, model, model.StartsWith("gemini", StringComparison.Ordinal) ? "google" : "openai", occurredAt,
            inputAudio, inputText, inputImage, cachedInputAudio, cachedInputText, cachedInputImage, outputAudio, outputText, connectionMs);
}

namespace VoicePlatform.Tools.Webhooks;

/// <summary>One HTTP exchange with a webhook: its status and (capped) body.</summary>
public sealed record WebhookAttempt(int Status, byte[] Body, long ResponseBytes, bool TooLarge)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>A failure worth retrying (if the tool allows) and counting against the endpoint's circuit.</summary>
    public bool IsTransientFailure => Status >= 500 || Status is 408 or 429;
}

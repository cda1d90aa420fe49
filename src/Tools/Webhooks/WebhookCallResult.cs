using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Webhooks;

/// <summary>
/// How a webhook call ended. <paramref name="Body"/> is the response body when the outcome is OK (at most the
/// configured cap); <paramref name="ResponseBytes"/> is what the webhook sent (or announced, for an oversize body).
/// </summary>
public sealed record WebhookCallResult(ToolOutcome Outcome, int HttpStatus, byte[] Body, long ResponseBytes, int Attempts, string? Error)
{
    public static WebhookCallResult Refused(ToolOutcome outcome, string error, int attempts = 0) => new(outcome, 0, [], 0, attempts, error);
}

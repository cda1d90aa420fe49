namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router for every usage the provider reports (OpenAI <c>response.done.usage</c>, Gemini
/// <c>usageMetadata</c>); Billing prices each one into its ledger. <paramref name="EventId"/> makes it idempotent: a
/// replayed or redelivered event is billed once.
/// </summary>
/// <remarks>
/// Token counts are split by direction × modality and are disjoint, so each is billed at exactly one rate: the
/// <c>Input*Tokens</c> are the <b>uncached</b> input tokens, the <c>CachedInput*Tokens</c> the cached ones (OpenAI
/// reports cached tokens inside <c>input_token_details.audio_tokens</c>/<c>text_tokens</c>/<c>image_tokens</c>; the
/// publisher subtracts <c>input_token_details.cached_tokens_details</c> from them).
/// </remarks>
/// <param name="EventId">Unique per usage report; the ledger's idempotency key.</param>
/// <param name="TenantId">The tenant whose session used the model.</param>
/// <param name="SessionId">The platform session id (what the client saw in <c>session.created</c>).</param>
/// <param name="Model">The public catalog model id (<c>gpt-realtime-2</c>), never the provider-prefixed form.</param>
/// <param name="Provider">The provider key (<c>openai</c>, <c>google</c>).</param>
/// <param name="OccurredAt">When the provider reported the usage; selects the price version in effect.</param>
/// <param name="InputAudioTokens">Uncached audio input tokens.</param>
/// <param name="InputTextTokens">Uncached text input tokens.</param>
/// <param name="InputImageTokens">Uncached image input tokens.</param>
/// <param name="CachedInputAudioTokens">Cached audio input tokens.</param>
/// <param name="CachedInputTextTokens">Cached text input tokens.</param>
/// <param name="CachedInputImageTokens">Cached image input tokens.</param>
/// <param name="OutputAudioTokens">Audio output tokens.</param>
/// <param name="OutputTextTokens">Text output tokens.</param>
/// <param name="ConnectionMilliseconds">
/// Provider connection time since the session's previous usage report (so a session's reports add up to its connection
/// time); 0 when the report carries none.
/// </param>
/// <param name="RequestSeq">
/// The client request (Gateway frame seq of its <c>response.create</c>) the reported response answers; null when the
/// server started it. With <paramref name="Attempt"/>, what a <see cref="ResponsesDiscarded"/> voids.
/// </param>
/// <param name="Attempt">The Router attempt (the session lease's fencing token) that produced it; null without continuity.</param>
public sealed record UsageRecorded(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string Model,
    string Provider,
    DateTimeOffset OccurredAt,
    long InputAudioTokens,
    long InputTextTokens,
    long InputImageTokens,
    long CachedInputAudioTokens,
    long CachedInputTextTokens,
    long CachedInputImageTokens,
    long OutputAudioTokens,
    long OutputTextTokens,
    long ConnectionMilliseconds,
    long? RequestSeq = null,
    long? Attempt = null);

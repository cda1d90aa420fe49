using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using VoicePlatform.Audio;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Client resume: each session gets a secret token (returned once, in <c>session.created</c>); a client whose socket
/// dropped presents session id + token to any Gateway instance within the resume window and continues the session.
/// Kept in Redis (<c>gateway:sessions:{id}</c>: tenant, model, SHA-256 of the token, the client's audio formats and
/// recording choice) so every Gateway instance can check it; only the hash is stored.
/// </summary>
public sealed class SessionResumeTokens(IConnectionMultiplexer redis)
{
    private static RedisKey Key(string sessionId) => $"gateway:sessions:{{{sessionId}}}";

    /// <summary>
    /// A new session's token, stored with how the session was routed (so a resumed connection's quality facts keep it).
    /// The two commands go out together, one round trip: this is on the way to the client's <c>session.created</c>.
    /// </summary>
    public async Task<string> IssueAsync(string sessionId, string tenantId, string model, TimeSpan lifetime,
        VoicePlatform.Contracts.Events.Quality.QualityDimensions dimensions)
    {
        var token = "rt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var db = redis.GetDatabase();
        await Task.WhenAll(
            db.HashSetAsync(Key(sessionId),
            [
                new("tenant", tenantId), new("model", model), new("token_sha256", Hash(token)),
                new("quality_dimensions", System.Text.Json.JsonSerializer.Serialize(dimensions)),
            ]),
            db.KeyExpireAsync(Key(sessionId), lifetime));
        return token;
    }

    /// <summary>The session's model and the client's formats when the token matches the tenant's session; otherwise null.</summary>
    public async Task<ResumableSession?> ValidateAsync(string sessionId, string tenantId, string token)
    {
        var entries = (await redis.GetDatabase().HashGetAllAsync(Key(sessionId))).ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        if (!entries.TryGetValue("token_sha256", out var expected) || expected is null) return null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Hash(token)))) return null;
        if (entries.GetValueOrDefault("tenant") != tenantId) return null;
        return new ResumableSession(entries.GetValueOrDefault("model") ?? "",
            ParseFormat(entries.GetValueOrDefault("input_format")), ParseFormat(entries.GetValueOrDefault("output_format")),
            entries.GetValueOrDefault("recording") switch { "on" => true, "off" => false, _ => null },
            long.TryParse(entries.GetValueOrDefault("detached_at"), out var detachedMs) ? DateTimeOffset.FromUnixTimeMilliseconds(detachedMs) : null,
            ParseDimensions(entries.GetValueOrDefault("quality_dimensions")));
    }

    /// <summary>The client went away: remember its choices and keep the session resumable for <paramref name="window"/>.</summary>
    public async Task DetachAsync(string sessionId, ClientAudioFormats formats, bool? recording, TimeSpan window, DateTimeOffset now)
    {
        await SaveClientChoicesAsync(sessionId, formats, recording);
        await redis.GetDatabase().HashSetAsync(Key(sessionId), "detached_at", now.ToUnixTimeMilliseconds());
        await redis.GetDatabase().KeyExpireAsync(Key(sessionId), window);
    }

    /// <summary>
    /// What the Gateway (not the Router) knows of the client's configuration: its audio formats and its recording
    /// override (null: the tenant's setting), so a resumed session keeps them on any Gateway.
    /// </summary>
    public Task SaveClientChoicesAsync(string sessionId, ClientAudioFormats formats, bool? recording) =>
        redis.GetDatabase().HashSetAsync(Key(sessionId),
        [
            new("input_format", formats.Input.ToString()), new("output_format", formats.Output.ToString()),
            new("recording", recording switch { true => "on", false => "off", null => "" }),
        ]);

    private static VoicePlatform.Contracts.Events.Quality.QualityDimensions? ParseDimensions(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<VoicePlatform.Contracts.Events.Quality.QualityDimensions>(stored);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // written by another version: the connection measures with what the catalog says
        }
    }

    /// <summary>Reattached: the record lives as long as the session may.</summary>
    public Task AttachAsync(string sessionId, TimeSpan lifetime) => redis.GetDatabase().KeyExpireAsync(Key(sessionId), lifetime);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    // Stored as AudioFormat.ToString(): "<realtime type>;rate=<rate>".
    private static AudioFormat? ParseFormat(string? stored)
    {
        if (stored is null) return null;
        var parts = stored.Split(";rate=");
        return parts.Length == 2 && int.TryParse(parts[1], out var rate) && AudioFormat.TryParseRealtime(parts[0], parts[0] == "audio/pcm" ? rate : null, out var format)
            ? format : null;
    }
}

/// <param name="DetachedAt">When the client's previous connection ended (how long it was away).</param>
/// <param name="Dimensions">How the session was routed, for the quality facts of the resumed connection.</param>
public sealed record ResumableSession(string Model, AudioFormat? InputFormat, AudioFormat? OutputFormat, bool? Recording = null,
    DateTimeOffset? DetachedAt = null, VoicePlatform.Contracts.Events.Quality.QualityDimensions? Dimensions = null);

using System.Collections.Concurrent;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Auth;

/// <summary>
/// A minted ephemeral key: when it stops admitting new sessions, the session it pre-configures (none for xAI's, which
/// carry no session) and the variant whose path minted it.
/// </summary>
internal sealed record ClientSecret(string Value, DateTimeOffset ExpiresAt, string? SessionJson,
    ProviderVariant Variant = ProviderVariant.OpenAI);

/// <summary>In-memory ek_… tokens. Expiry only limits starting sessions (protocol §2).</summary>
internal sealed class ClientSecretStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ClientSecret> _secrets = new(StringComparer.Ordinal);

    public void Add(ClientSecret secret)
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _secrets)
        {
            if (value.ExpiresAt <= now)
            {
                _secrets.TryRemove(key, out _);
            }
        }
        _secrets[secret.Value] = secret;
    }

    public ClientSecret? FindValid(string value) =>
        _secrets.TryGetValue(value, out var secret) && secret.ExpiresAt > time.GetUtcNow() ? secret : null;
}

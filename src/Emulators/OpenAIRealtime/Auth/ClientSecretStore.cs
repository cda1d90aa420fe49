using System.Collections.Concurrent;

namespace VoicePlatform.Emulators.OpenAIRealtime.Auth;

/// <summary>A minted ephemeral key: when it stops admitting new sessions and the session it pre-configures.</summary>
internal sealed record ClientSecret(string Value, DateTimeOffset ExpiresAt, string SessionJson);

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

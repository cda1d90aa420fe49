using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VoicePlatform.Console.Authentication;

/// <summary>
/// The development one-time link (<see cref="DevSignInOptions"/>): the first request with the right token spends it.
/// Kept in this process: the link is for the single console AppHost runs, and a restart gets a new token.
/// </summary>
public sealed class OneTimeSignIn(IOptions<ConsoleOptions> options)
{
    private int _spent;

    public string ApiKey => options.Value.DevSignIn.ApiKey;

    public bool TrySpend(string? token)
    {
        var configured = options.Value.DevSignIn;
        if (!configured.Enabled || string.IsNullOrEmpty(token)) return false;
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(configured.Token));
        return matches && Interlocked.Exchange(ref _spent, 1) == 0;
    }
}

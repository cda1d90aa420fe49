using System.Security.Cryptography;

namespace VoicePlatform.Router.Sessions;

/// <summary>Ids in the OpenAI Realtime style: <c>event_…</c>, <c>item_…</c>, <c>resp_…</c>, <c>sess_…</c>, <c>call_…</c>.</summary>
public static class RealtimeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => string.Create(prefix.Length + 1 + 21, prefix, static (span, p) =>
    {
        p.AsSpan().CopyTo(span);
        span[p.Length] = '_';
        RandomNumberGenerator.GetItems(Alphabet, span[(p.Length + 1)..]);
    });
}

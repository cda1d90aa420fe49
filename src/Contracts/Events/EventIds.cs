using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Event ids derived from what the event is about (session, item, response), so the same event published again after
/// a Router failover, a spool redelivery or an outbox retry carries the same id and consumers drop it as a duplicate.
/// </summary>
public static class EventIds
{
    public static Guid For(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style (name-based) marker
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}

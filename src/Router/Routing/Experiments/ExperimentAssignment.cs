using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.Router.Routing.Experiments;

/// <summary>
/// Deterministic, sticky assignment of a subject (the end user a tenant names, or the session) to an experiment arm,
/// the way feature-flag tools do it: the subject hashes into one of <see cref="Buckets"/> buckets, arms own contiguous
/// bucket ranges in proportion to their weights, and a second, independent hash decides whether the subject takes part
/// at all (<c>traffic_percent</c>). Nothing is stored: every Gateway and Router instance computes the same arm for the
/// experiment's whole life; changing the salt (an explicit reshuffle) is the only way to re-randomise.
/// </summary>
public static class ExperimentAssignment
{
    public const int Buckets = 10_000;

    /// <summary>The arm bucket: first 8 bytes (big-endian) of SHA-256(tenant | experiment | salt | subject) mod 10,000.</summary>
    public static int Bucket(string tenantId, string experimentId, string salt, string subject) =>
        Hash(tenantId, experimentId, salt, subject);

    /// <summary>Whether the subject enters the experiment: an independent hash (prefixed "traffic") below the percentage.</summary>
    public static bool InTraffic(string tenantId, string experimentId, string salt, string subject, int trafficPercent) =>
        trafficPercent >= 100 || Hash("traffic", tenantId, experimentId, salt, subject) < trafficPercent * (Buckets / 100);

    /// <summary>The arm owning <paramref name="bucket"/>: arm i owns [⌊B·Wᵢ₋₁/W⌋, ⌊B·Wᵢ/W⌋) for cumulative weights Wᵢ.</summary>
    public static int ArmOf(int bucket, IReadOnlyList<int> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, Buckets);
        long total = weights.Sum(w => (long)w);
        long cumulative = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            cumulative += weights[i];
            if (bucket < Buckets * cumulative / total) return i;
        }
        throw new ArgumentException("Weights must be positive.", nameof(weights));
    }

    /// <summary>The arm for a subject, or null when the subject is held out by <paramref name="trafficPercent"/>.</summary>
    public static int? Assign(string tenantId, string experimentId, string salt, string subject, IReadOnlyList<int> weights, int trafficPercent) =>
        InTraffic(tenantId, experimentId, salt, subject, trafficPercent)
            ? ArmOf(Bucket(tenantId, experimentId, salt, subject), weights)
            : null;

    private static int Hash(params string[] parts)
    {
        // '|' joins the parts; ids and salts never contain it, and a subject that does only hashes differently.
        var bytes = Encoding.UTF8.GetBytes(string.Join('|', parts));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % Buckets);
    }
}

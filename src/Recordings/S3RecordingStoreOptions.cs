namespace VoicePlatform.Recordings;

/// <summary>Where and how <see cref="S3RecordingStore"/> reaches its bucket.</summary>
public sealed record S3RecordingStoreOptions
{
    /// <summary>
    /// Endpoint of an S3-compatible server, e.g. <c>http://127.0.0.1:9000</c> (MinIO, s3rver, Ceph). Null means AWS S3
    /// itself, reached through <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>AWS region; with <see cref="ServiceUrl"/> it is only the region requests are signed for.</summary>
    public string Region { get; init; } = "us-east-1";

    public required string Bucket { get; init; }

    /// <summary>Static credentials; give both or neither. Neither means the SDK's default credential chain
    /// (environment, profile, instance or task role).</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    /// <summary>
    /// <c>http://host/bucket/key</c> instead of <c>http://bucket.host/key</c>. True by default because most
    /// self-hosted S3-compatible servers only resolve path-style URLs; AWS accepts both.
    /// </summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>
    /// Prepended to every key, e.g. <c>prod/</c>, so several environments can share one bucket. Listings strip it, so
    /// callers only ever see the store's own keys.
    /// </summary>
    public string? KeyPrefix { get; init; }

    /// <summary>Objects per ListObjectsV2 page (S3's maximum and default is 1000); lowered by tests to exercise paging.</summary>
    internal int ListPageSize { get; init; } = 1000;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Bucket, nameof(Bucket));
        ArgumentException.ThrowIfNullOrWhiteSpace(Region, nameof(Region));
        if ((AccessKey is null) != (SecretKey is null))
            throw new ArgumentException("Give both AccessKey and SecretKey, or neither to use the default credential chain.");
        if (ServiceUrl is not null && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"ServiceUrl '{ServiceUrl}' is not an absolute URL.", nameof(ServiceUrl));
        if (KeyPrefix is not null)
            RecordingObjectKey.ValidatePrefix(KeyPrefix, nameof(KeyPrefix));
        if (ListPageSize is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(ListPageSize), ListPageSize, "S3 pages hold 1 to 1000 objects.");
    }
}

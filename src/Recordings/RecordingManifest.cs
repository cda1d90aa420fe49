using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoicePlatform.Recordings;

/// <summary>
/// <c>manifest.json</c>: what is needed to turn the parts back into a WAV after a crash, plus the result once complete.
/// </summary>
public sealed record RecordingManifest
{
    public int Version { get; init; } = 1;
    public required int SampleRate { get; init; }
    public int Channels { get; init; } = 2;
    public int BitsPerSample { get; init; } = 16;
    /// <summary>Frames in every part but the last.</summary>
    public required int PartFrames { get; init; }
    public bool Complete { get; init; }
    public string? WavKey { get; init; }
    public long? SizeBytes { get; init; }
    public long? DurationMs { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>Wall-clock time of the timeline's zero (<see cref="RecordingOptions.TimelineStart"/>), Unix ms.</summary>
    public long? StartedAtUnixMs { get; init; }

    [JsonIgnore]
    public DateTimeOffset? StartedAt => StartedAtUnixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    [JsonIgnore] public int BytesPerFrame => Channels * BitsPerSample / 8;
    [JsonIgnore] public int PartBytes => PartFrames * BytesPerFrame;

    internal async Task SaveAsync(IRecordingStore store, string prefix, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, RecordingJsonContext.Default.RecordingManifest);
        using var content = new MemoryStream(bytes, writable: false);
        await store.PutAsync(RecordingLayout.ManifestKey(prefix), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest under <paramref name="prefix"/>, or null when there is none.</summary>
    public static async Task<RecordingManifest?> LoadAsync(IRecordingStore store, string prefix, CancellationToken cancellationToken = default)
    {
        var stream = await store.OpenReadAsync(RecordingLayout.ManifestKey(prefix), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (stream is null)
            return null;
        await using (stream.ConfigureAwait(false))
        {
            var manifest = await JsonSerializer.DeserializeAsync(stream, RecordingJsonContext.Default.RecordingManifest, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Empty recording manifest under '{prefix}'.");
            if (manifest.Channels <= 0 || manifest.BitsPerSample != 16 || manifest.SampleRate <= 0 || manifest.PartFrames <= 0)
                throw new InvalidDataException($"Unsupported recording manifest under '{prefix}'.");
            return manifest;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordingManifest))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;

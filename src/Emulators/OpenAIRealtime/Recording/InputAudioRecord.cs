using VoicePlatform.Emulators.InputAudioRecording;
using System.Buffers;
using System.Buffers.Binary;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;

namespace VoicePlatform.Emulators.OpenAIRealtime.Recording;

/// <summary>
/// The input audio one session accepted, as PCM16 LE mono. Written under the session's gate and read by the
/// HTTP endpoints, hence its own lock.
/// </summary>
internal sealed class InputAudioRecord(string id, DateTimeOffset createdAt, int defaultSampleRate, long maxBytes) : IInputAudioRecord
{
    private readonly object _gate = new();
    private readonly MemoryStream _pcm = new();
    private int? _sampleRate;
    private bool _mixedRates;
    private bool _truncated;
    private bool _ended;

    public string Id { get; } = id;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Appends one accepted chunk in its wire format; G.711 is decoded to PCM16 at 8 kHz.</summary>
    public void Append(AudioFormat format, ReadOnlySpan<byte> wire)
    {
        if (format.Encoding == AudioEncoding.Pcm16)
        {
            Append(wire, format.SampleRate);
            return;
        }

        var pcm = ArrayPool<byte>.Shared.Rent(Math.Max(1, wire.Length * 2));
        var samples = ArrayPool<short>.Shared.Rent(Math.Max(1, wire.Length));
        try
        {
            G711.Decode(format.Encoding, wire, samples);
            for (var i = 0; i < wire.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(2 * i), samples[i]);
            }

            Append(pcm.AsSpan(0, wire.Length * 2), format.SampleRate);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pcm);
            ArrayPool<short>.Shared.Return(samples);
        }
    }

    /// <summary>The connection closed: the session is over.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
        }
    }

    public InputAudioSummary Summarize()
    {
        lock (_gate)
        {
            return new InputAudioSummary(Id, CreatedAt.UtcDateTime, Connections: 1, _pcm.Length,
                _sampleRate ?? defaultSampleRate, _truncated, _ended, _mixedRates);
        }
    }

    public (byte[] Pcm, int SampleRate) Read()
    {
        lock (_gate)
        {
            return (_pcm.ToArray(), _sampleRate ?? defaultSampleRate);
        }
    }

    private void Append(ReadOnlySpan<byte> pcm, int sampleRate)
    {
        lock (_gate)
        {
            // One rate per record (a session.update may switch formats); the listing flags it instead of resampling.
            _sampleRate ??= sampleRate;
            _mixedRates |= _sampleRate != sampleRate;

            var room = (int)Math.Clamp(maxBytes - _pcm.Length, 0, pcm.Length);
            _pcm.Write(pcm[..room]);
            _truncated |= room < pcm.Length;
        }
    }
}

using System.Buffers;
using System.Buffers.Text;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>Loopback (*-loopback models): every appended chunk comes straight back as output audio.</summary>
internal sealed class LoopbackEcho(RealtimeSession session, InputAudio input)
{
    private SessionConfig Config => session.Config;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> base64, string? eventId)
    {
        var decodedBytes = DecodedLength(base64.Span);
        if (decodedBytes < 0)
        {
            await session.SendErrorAsync(InputAudio.InvalidAudio(), eventId);
            return;
        }

        RecordInput(base64, decodedBytes);
        if (session.Active is null)
        {
            await session.Responses.StartLoopbackAsync();
        }
        if (session.Active is not { IsLoopback: true } active)
        {
            return; // a normal response is streaming; the echo resumes after it
        }
        if (Config.InputFormat == active.Parameters.OutputFormat)
        {
            await active.EchoAsync(base64, decodedBytes, Config.InputFormat);
            return;
        }
        var raw = new byte[decodedBytes];
        if (Base64.DecodeFromUtf8(base64.Span, raw, out _, out _) != OperationStatus.Done)
        {
            await session.SendErrorAsync(InputAudio.InvalidAudio(), eventId);
            return;
        }
        await active.EchoTranscodedAsync(AudioCodec.Transcode(Config.InputFormat, active.Parameters.OutputFormat, raw));
    }

    /// <summary>The loopback path never decodes matching formats, so the record decodes on its own (only when on).</summary>
    private void RecordInput(ReadOnlyMemory<byte> base64, int decodedBytes)
    {
        if (session.InputRecord is not { } record)
        {
            return;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Math.Max(1, decodedBytes));
        try
        {
            if (Base64.DecodeFromUtf8(base64.Span, raw, out _, out var written) == OperationStatus.Done)
            {
                record.Append(Config.InputFormat, raw.AsSpan(0, written));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>Decoded size of base64 text without decoding it (-1 if it cannot be base64).</summary>
    private static int DecodedLength(ReadOnlySpan<byte> base64)
    {
        if (base64.Length % 4 != 0)
        {
            return -1;
        }
        var padding = base64.Length == 0 ? 0 : (base64[^1] == '=' ? 1 : 0) + (base64.Length > 1 && base64[^2] == '=' ? 1 : 0);
        return base64.Length / 4 * 3 - padding;
    }

    public async ValueTask CommitAsync()
    {
        if (session.Active is { IsLoopback: true } echo)
        {
            await echo.CompleteLoopbackAsync();
        }
        // The echoed audio is not retained (keeps the benchmark path cheap), so the item has no audio bytes.
        await input.CommitItemAsync(session.Ids.Next("item"), null, autoResponse: false);
    }
}

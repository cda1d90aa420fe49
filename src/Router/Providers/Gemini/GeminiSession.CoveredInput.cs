using System.Globalization;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Which client input a resumption handle covers, in Gateway sequence numbers. Each audio message sent upstream is
/// remembered with its client message index on the connection and the frame it carries; a handle's
/// <c>lastConsumedClientMessageIndex</c> then says up to which frame Gemini's restorable state already has the
/// audio, and that number is checkpointed with the handle. A Router that re-attaches the session with that handle
/// drops replayed audio up to it: the Gateway re-sends everything not yet safe, and Gemini would otherwise hear it twice.
/// Input sent without a known frame (held during a switch, replayed after a rollover) is never claimed, so the number
/// only ever errs low (a little audio sent twice), never high (audio lost).
/// </summary>
internal sealed partial class GeminiSession
{
    private const int SentInputMemory = 4096; // audio messages remembered per connection (≈80 s of 20 ms frames)

    private readonly Queue<(long Index, ulong Seq)> _sentInput = new();
    private ulong _coveredInputSeq;
    private ulong? _dropInputUpTo;
    private long _droppedCoveredFrames;

    private long _currentInputSeq;

    /// <summary>The latest client frame handed over (0 before the first); platform-made input (seq 0) does not move it.</summary>
    private ulong CurrentInputSeq => (ulong)Volatile.Read(ref _currentInputSeq);

    /// <summary>A call into the session for client frame <paramref name="inputSeq"/> begins (called once per frame, in order, by the relay).</summary>
    private void HandingInput(ulong inputSeq)
    {
        if (inputSeq != 0) Volatile.Write(ref _currentInputSeq, (long)inputSeq);
    }

    /// <summary>Whether the current audio frame is covered by the handle this session resumed with (caller holds the gate).</summary>
    private bool SkipCoveredInput()
    {
        if (_dropInputUpTo is not { } upTo)
        {
            return false;
        }

        var seq = CurrentInputSeq;
        if (seq != 0 && seq <= upTo)
        {
            _droppedCoveredFrames++;
            return true;
        }

        // Frames arrive in order: past the covered ones, nothing more is dropped.
        _dropInputUpTo = null;
        if (_droppedCoveredFrames > 0)
        {
            _logger.LogInformation("Gemini session {SessionId}: {Frames} replayed audio frame(s) up to #{Seq} were already in the resumed state; not sent again",
                _context.SessionId, _droppedCoveredFrames, upTo);
        }

        return false;
    }

    /// <summary>After an audio message went up on <paramref name="connection"/> as message <paramref name="index"/>: remember its frame.</summary>
    private void RememberSentInput(GeminiConnection connection, long index)
    {
        var seq = CurrentInputSeq;
        if (seq == 0 || connection != _connection)
        {
            return;
        }

        _sentInput.Enqueue((index, seq));
        if (_sentInput.Count > SentInputMemory)
        {
            _sentInput.Dequeue(); // its coverage can no longer be claimed: errs low
        }
    }

    /// <summary>A resumable handle consumed client messages up to <paramref name="consumedIndex"/> on the current connection.</summary>
    private void AdvanceCoveredInput(long? consumedIndex)
    {
        if (consumedIndex is not { } consumed)
        {
            return;
        }

        while (_sentInput.TryPeek(out var sent) && sent.Index <= consumed)
        {
            _coveredInputSeq = Math.Max(_coveredInputSeq, sent.Seq);
            _sentInput.Dequeue();
        }
    }

    /// <summary>A new connection numbers its messages from the start again.</summary>
    private void ForgetSentInput() => _sentInput.Clear();

    /// <summary>Resumed with the checkpointed handle: replayed audio up to what it covers is not sent again.</summary>
    private void ResumeCoveredInput(SessionResumeState resume)
    {
        if (ulong.TryParse(resume.ProviderValue(HandleInputSeqKey), NumberStyles.None, CultureInfo.InvariantCulture, out var covered) && covered > 0)
        {
            _coveredInputSeq = covered;
            _dropInputUpTo = covered;
        }
    }
}

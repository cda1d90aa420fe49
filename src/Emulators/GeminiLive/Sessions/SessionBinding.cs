using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.ModelProfiles;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Recording;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The session a connection serves (new or resumed) and the state a resumption handle freezes: the conversation,
/// the running usage, the call numbering and the input audio record. Called only from the connection's event loop.
/// </summary>
internal sealed class SessionBinding(SessionRegistry registry, EphemeralTokenStore tokens, GeminiEmulatorOptions options, string connectionId)
{
    private bool _detached;

    public SessionRecord? Session { get; private set; }

    /// <summary>The session's input audio record once this connection serves the session (null when off).</summary>
    public InputAudioRecord? InputAudio { get; private set; }

    public Conversation Conversation { get; private set; } = new(0);

    public UsageNumbers CumulativeUsage { get; set; }

    public long NextCallNumber { get; set; } = 1;

    /// <summary>Resumes the setup's handle or starts a new session; the close directive when neither is allowed.</summary>
    public CloseDirective? Bind(SessionSetup setup, LiveAuth auth)
    {
        if (setup.ResumptionHandle is { } handle)
        {
            var result = registry.TryResume(handle, connectionId);
            var resumption = options.Resumption;
            switch (result.Outcome)
            {
                case ResumeOutcome.StillConnected:
                    return new CloseDirective(resumption.ResumeWhileOpenCloseCode, resumption.ResumeWhileOpenCloseReason);
                case ResumeOutcome.UnknownHandle or ResumeOutcome.Expired or ResumeOutcome.SessionEnded:
                    return new CloseDirective(resumption.InvalidHandleCloseCode, resumption.InvalidHandleCloseReason);
            }

            // Held before the model check, so a refused resume still detaches from the session it took.
            Session = result.Session!;
            if (Session.ModelId != setup.ModelId)
            {
                // The config may change on resume, except the model.
                return CloseDirective.Invalid();
            }

            var snapshot = result.Snapshot!;
            Conversation = new Conversation(setup.SystemTokens, snapshot.Turns);
            CumulativeUsage = snapshot.CumulativeUsage;
            NextCallNumber = snapshot.NextCallNumber;

            // The record reverts with the state: audio consumed after the handle's index must be replayed.
            InputAudio = Session.InputAudio;
            InputAudio?.Attach();
            if (snapshot.InputAudio is { } mark)
            {
                InputAudio?.RevertTo(mark);
            }

            return null;
        }

        // A resumed session does not use up an ephemeral token; a new one does.
        if (auth.Token is { } token && !tokens.TryStartNewSession(token))
        {
            return CloseDirective.Policy(CloseDirective.ApiKeyInvalid);
        }

        Session = registry.Create(setup.ModelId, connectionId);
        Conversation = new Conversation(setup.SystemTokens);
        InputAudio = Session.InputAudio;
        InputAudio?.Attach();
        return null;
    }

    /// <summary>
    /// Keeps the conversation within the context window: compressed when the setup enables compression, else false
    /// once it no longer fits (the connection then closes).
    /// </summary>
    public bool FitContextWindow(SessionSetup setup)
    {
        var window = options.ContextWindowTokens > 0 ? options.ContextWindowTokens : setup.IsNativeAudio ? 131072 : 32768;
        if (setup.CompressionEnabled)
        {
            var trigger = setup.TriggerTokens ?? window;
            Conversation.Compress(trigger, setup.TargetTokens ?? trigger / 2);
            return true;
        }

        return Conversation.ContextTokens.Total <= window;
    }

    /// <summary>A fresh resumption handle bound to a frozen snapshot of the context.</summary>
    public string IssueHandle() =>
        registry.Issue(Session!, new SessionSnapshot(Conversation.Snapshot(), CumulativeUsage, NextCallNumber, InputAudio?.Mark));

    /// <summary>
    /// Appends a message's input audio to the session record. Whole messages only (all mediaChunks at once), so
    /// the record length at any handle equals the audio of messages up to lastConsumedClientMessageIndex.
    /// </summary>
    public void RecordInputAudio(ClientMessage message)
    {
        if (InputAudio is not { } record)
        {
            return;
        }

        switch (message)
        {
            case AudioInput audio:
                record.Append(audio.Pcm, audio.SampleRate);
                break;
            case MediaChunksInput chunks:
                foreach (var audio in chunks.Chunks.OfType<AudioInput>())
                {
                    record.Append(audio.Pcm, audio.SampleRate);
                }

                break;
        }
    }

    /// <summary>Marks the session as having video; true the first time (its cap then shortens).</summary>
    public bool MarkVideo()
    {
        var session = Session!;
        lock (session.Gate)
        {
            var first = !session.HasVideo;
            session.HasVideo = true;
            return first;
        }
    }

    /// <summary>
    /// When the session cap closes this connection: 15 min audio-only / 2 min with video without compression,
    /// configurable with it; null without a cap.
    /// </summary>
    public DateTimeOffset? SessionCapCloseAt(SessionSetup setup, ModelProfile profile, DateTimeOffset now, DateTimeOffset connectedAt)
    {
        if (Session is not { } session)
        {
            return null;
        }

        bool hasVideo;
        TimeSpan connectedBefore;
        lock (session.Gate)
        {
            hasVideo = session.HasVideo;
            connectedBefore = session.ConnectedBefore;
        }

        var cap = setup.CompressionEnabled
            ? options.SessionCapWithCompression
            : hasVideo ? options.SessionCapWithVideo : options.SessionCapWithoutCompression;
        cap = profile.LimitSessionCap(cap, options.Live38.SessionLimit);
        if (cap <= TimeSpan.Zero)
        {
            return null;
        }

        var used = options.SessionCapClock == SessionCapClock.WallClock
            ? now - session.CreatedAt
            : connectedBefore + (now - connectedAt);
        return now + (cap - used);
    }

    /// <summary>Exceeding the cap ends the session itself: its handles no longer resume.</summary>
    public void EndAtCap()
    {
        SessionRegistry.End(Session!);
        InputAudio?.MarkCapped();
    }

    public void Detach(TimeSpan connectedFor)
    {
        if (_detached || Session is null)
        {
            return;
        }

        _detached = true;
        registry.Detach(Session, connectionId, connectedFor);
        InputAudio?.Detach();
    }
}

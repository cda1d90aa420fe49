using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Recording;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// Sessions and their resumption handles, shared by all connections of this server. A handle stays
/// valid while its session lives and for ResumptionHandleValidity after the session's last
/// connection ended ("valid 2 h after the last session terminates").
/// </summary>
internal sealed class SessionRegistry(IOptionsMonitor<GeminiEmulatorOptions> options, TimeProvider time, InputAudioRecorder recorder)
{
    private readonly ConcurrentDictionary<string, (SessionRecord Session, SessionSnapshot Snapshot)> _handles = new(StringComparer.Ordinal);
    private long _lastPurgeTicks;

    public SessionRecord Create(string modelId, string connectionId)
    {
        var id = NewId(12);
        var createdAt = time.GetUtcNow();
        return new SessionRecord(id, modelId, createdAt)
        {
            ActiveConnection = connectionId,
            InputAudio = recorder.Start(id, createdAt),
        };
    }

    public string Issue(SessionRecord session, SessionSnapshot snapshot)
    {
        PurgeOccasionally();
        var handle = NewId(36);
        _handles[handle] = (session, snapshot);
        lock (session.Gate)
        {
            session.LatestHandle = handle;
        }

        return handle;
    }

    public ResumeResult TryResume(string handle, string connectionId)
    {
        if (!_handles.TryGetValue(handle, out var entry))
        {
            return new ResumeResult(ResumeOutcome.UnknownHandle, null, null);
        }

        var session = entry.Session;
        var now = time.GetUtcNow();
        var current = options.CurrentValue;
        lock (session.Gate)
        {
            if (session.Ended)
            {
                return new ResumeResult(ResumeOutcome.SessionEnded, session, null);
            }

            if (current.Resumption.OnlyLatestHandleValid && session.LatestHandle != handle)
            {
                return new ResumeResult(ResumeOutcome.UnknownHandle, session, null);
            }

            if (session.ActiveConnection is not null)
            {
                return new ResumeResult(ResumeOutcome.StillConnected, session, null);
            }

            if (session.DetachedAt is { } detached && now - detached > current.ResumptionHandleValidity)
            {
                return new ResumeResult(ResumeOutcome.Expired, session, null);
            }

            session.ActiveConnection = connectionId;
            return new ResumeResult(ResumeOutcome.Resumed, session, entry.Snapshot);
        }
    }

    public void Detach(SessionRecord session, string connectionId, TimeSpan connectedFor)
    {
        lock (session.Gate)
        {
            if (session.ActiveConnection != connectionId)
            {
                return;
            }

            session.ActiveConnection = null;
            session.DetachedAt = time.GetUtcNow();
            session.ConnectedBefore += connectedFor;
        }
    }

    public static void End(SessionRecord session)
    {
        lock (session.Gate)
        {
            session.Ended = true;
        }
    }

    private void PurgeOccasionally()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        var validity = options.CurrentValue.ResumptionHandleValidity;
        foreach (var (handle, entry) in _handles)
        {
            var session = entry.Session;
            bool expired;
            lock (session.Gate)
            {
                expired = session.Ended || (session.ActiveConnection is null && session.DetachedAt is { } at && now - at > validity);
            }

            if (expired)
            {
                _handles.TryRemove(handle, out _);
            }
        }
    }

    private static string NewId(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

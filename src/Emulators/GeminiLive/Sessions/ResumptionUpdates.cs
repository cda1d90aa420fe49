using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// sessionResumptionUpdate messages: resumable ones (a fresh handle) at turn boundaries and when idle, not-resumable
/// ones while the model generates. Nothing is sent before setup or when the setup did not ask for resumption.
/// </summary>
internal sealed class ResumptionUpdates(LiveSender sender, SessionBinding binding, GeminiEmulatorOptions options, TimeProvider time)
{
    private SessionSetup? _setup;

    /// <summary>The index of the last client message consumed (reported on transparent resumption).</summary>
    public long? LastConsumedIndex { get; set; }

    /// <summary>When a resumable update is due while nothing happens; null when none is scheduled.</summary>
    public DateTimeOffset? IdleUpdateAt { get; private set; }

    public void Start(SessionSetup setup) => _setup = setup;

    /// <summary>A model turn started: its end sends the next resumable update.</summary>
    public void CancelIdleUpdate() => IdleUpdateAt = null;

    /// <summary>The idle update when due: sent when nothing is going on (<paramref name="busy"/> false), else postponed.</summary>
    public async Task SendIdleUpdateIfDueAsync(DateTimeOffset now, bool busy)
    {
        if (!(IdleUpdateAt <= now))
        {
            return;
        }

        IdleUpdateAt = null;
        if (!busy)
        {
            await SendResumableAsync();
        }
        else
        {
            IdleUpdateAt = now + options.Resumption.IdleUpdateInterval;
        }
    }

    /// <summary>A resumable update: a fresh handle bound to a frozen snapshot of the context.</summary>
    public async ValueTask SendResumableAsync()
    {
        if (_setup is not { ResumptionEnabled: true } || binding.Session is null || sender.Closed)
        {
            return;
        }

        var handle = binding.IssueHandle();
        ServerMessages.SessionResumptionUpdate(sender.Begin(), handle, _setup.Transparent && LastConsumedIndex >= 0 ? LastConsumedIndex : null, explicitDefaults: false);
        await sender.SendAsync();
        if (options.Resumption.IdleUpdateInterval > TimeSpan.Zero)
        {
            IdleUpdateAt = time.GetUtcNow() + options.Resumption.IdleUpdateInterval;
        }
    }

    /// <summary>While the model generates or a tool call is pending, updates are not resumable.</summary>
    public async ValueTask SendNotResumableAsync()
    {
        if (_setup is not { ResumptionEnabled: true })
        {
            return;
        }

        ServerMessages.SessionResumptionUpdate(
            sender.Begin(),
            handle: null,
            lastConsumedIndex: null,
            explicitDefaults: options.Resumption.NotResumableShape == NotResumableShape.Explicit);
        await sender.SendAsync();
    }
}

using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The session's side of its link (<see cref="IGeminiLinkOwner"/>): the link's connections read into the session, and a
/// switch's outcome reaches <see cref="GeminiSwitchPlanner"/> (when to switch) and <see cref="GeminiSessionSettings"/>.
/// </summary>
internal sealed partial class GeminiSession : IGeminiLinkOwner
{
    bool IGeminiLinkOwner.Ended => _ended;

    ValueTask IGeminiLinkOwner.OnMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message) => OnUpstreamMessageAsync(connection, message);

    ValueTask IGeminiLinkOwner.OnClosedAsync(GeminiConnection connection, UpstreamClose close) => OnUpstreamClosedAsync(connection, close);

    void IGeminiLinkOwner.ConfigApplied(RealtimeSessionConfig target) => _settings.ConnectionRuns(target);

    void IGeminiLinkOwner.ReplyExpected() => ExpectReply();

    string? IGeminiLinkOwner.CoveredItemId() => _switches.CoveredItemId();

    ValueTask IGeminiLinkOwner.SwitchFailedAsync(ProviderConnectException failure) =>
        FailAsync(failure.Code, $"Reconnecting to the model provider failed: {failure.Message}");

    async ValueTask IGeminiLinkOwner.SwitchedAsync()
    {
        // A session.update that arrived during the switch may need another.
        if (_settings.NeedsNewSetup)
        {
            _switches.Request("session.update");
        }

        await _switches.MaybeSwitchAsync();
    }
}

using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// When to switch connections, and what the conversation gives the new one: a setup change (session.update) or a
/// goAway waits for a safe point (no response, no model turn, no user speech); the switch itself is the link's
/// (<see cref="GeminiLink"/>), which calls back through <see cref="IGeminiLinkOwner"/>.
/// </summary>
internal sealed partial class GeminiSession : IGeminiLinkOwner
{
    private bool AtSafePoint()
    {
        // A user turn in progress does not block a resume with transparent replay: the new connection gets the whole
        // turn's audio again (everything after the handle's state) and answers it as the old one would have.
        var userTurnOpen = _input.TurnOpen;
        if (_output.Current is not null || _output.Turn.Open || (userTurnOpen && !(_config.ServerVad && _link.CanReplaySinceHandle)))
        {
            return false;
        }

        if (_output.Turn.ReplyDue(Time.GetUtcNow(), _options.ReplyExpectedWithin))
        {
            return false;
        }

        return _link.ReadyToSwitch;
    }

    private async ValueTask MaybeReconnectAsync()
    {
        if (!_link.ReconnectPending || _link.Switching || _ended || !AtSafePoint())
        {
            return;
        }

        if (_link.ReconnectReason == "session.update" && GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) == _appliedFingerprint)
        {
            _link.CancelReconnect();
            return;
        }

        await BeginSwitchAsync(reanswer: false, aborted: null);
    }

    /// <summary>
    /// Starts replacing the connection (caller holds the gate): with the latest resumable handle once the conversation
    /// has content, else fresh; the conversation as it stands is kept in case the context has to be rebuilt.
    /// </summary>
    /// <param name="respeak">
    /// The spoken user item whose reply was lost: rebuilt from history, the new connection gets its audio again (and not
    /// the item as text) and answers it.
    /// </param>
    private async ValueTask BeginSwitchAsync(bool reanswer, List<ConversationItem>? aborted, string? respeak = null)
    {
        var target = _config.Clone();
        var (reason, handle, replay, audioOnly) = await _link.BeginSwitchAsync(reanswer, target.ServerVad);
        _output.Turn.ForgetExpectedReply();
        var userTurnOpen = _input.TurnOpen;
        // What Gemini has had so far (pending client turns go up later; output of a lost reply is asked for again).
        List<ConversationItem>? seed = null;
        if (_link.HasContext)
        {
            seed = [];
            foreach (var item in _conversation.Items)
            {
                if (!_input.IsUnsent(item.Id) && !_content.Holds(item.Id) && item.Id != respeak
                    && !(reanswer && aborted is not null && aborted.Contains(item)))
                {
                    seed.Add(item);
                }
            }
        }

        // Without a handle nothing after the last one is kept for replay: the turn's own record serves instead.
        var spoken = respeak is not null ? _input.SpokenTurn.UnansweredAudio
            : userTurnOpen && !replay.Exists(m => GeminiClientMessages.IsAudio(m)) ? _input.SpokenTurn.OpenAudio : ReadOnlyMemory<byte>.Empty;
        var spokenTurn = spoken.IsEmpty ? null : new RespokenTurn(spoken.ToArray(), AnswerIt: respeak is not null);
        await _link.StartSwitchAsync(new GeminiSwitchPlan(_link.NextNumber(), reason, target, handle, replay, seed, reanswer,
            ResendAudio: userTurnOpen || audioOnly, ResendAllAudio: userTurnOpen, spokenTurn));
    }

    bool IGeminiLinkOwner.Ended => _ended;

    ValueTask IGeminiLinkOwner.OnMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message) => OnUpstreamMessageAsync(connection, message);

    ValueTask IGeminiLinkOwner.OnClosedAsync(GeminiConnection connection, UpstreamClose close) => OnUpstreamClosedAsync(connection, close);

    /// <summary>The new connection runs <paramref name="target"/> (cancel signalling follows it).</summary>
    void IGeminiLinkOwner.ConfigApplied(RealtimeSessionConfig target)
    {
        _applied = target;
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(target, UpstreamModel, _options);
    }

    void IGeminiLinkOwner.ReplyExpected() => ExpectReply();

    string? IGeminiLinkOwner.CoveredItemId() => CoveredItemId();

    ValueTask IGeminiLinkOwner.SwitchFailedAsync(ProviderConnectException failure) =>
        FailAsync(failure.Code, $"Reconnecting to the model provider failed: {failure.Message}");

    async ValueTask IGeminiLinkOwner.SwitchedAsync()
    {
        // A session.update that arrived during the switch may need another.
        if (GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) != _appliedFingerprint)
        {
            _link.RequestReconnect("session.update");
        }

        await MaybeReconnectAsync();
    }
}

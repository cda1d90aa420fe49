using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Routing.Sessions;
using VoicePlatform.Router.Tools;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A session's output chain (see <see cref="SessionOutputChain"/>): its layers the relay talks to, and where provider
/// sessions send their events (<see cref="Output"/>). <see cref="Refusal"/> set: the session must not start.
/// </summary>
public sealed record SessionOutputs(
    SessionEventRecorder? Recorder,
    RoutedSessionAnnouncer? Announcer,
    ServerToolSession Tools,
    SessionCheckpointer? Checkpointer,
    SessionResumeState? Resume,
    InputAcknowledgement Acknowledgement,
    ISessionEventSink Output,
    (string Code, string Message)? Refusal);

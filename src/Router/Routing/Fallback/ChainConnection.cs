using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>The provider session a connect opened, the step that answered, and the steps passed over before it.</summary>
public sealed record ChainConnection(IProviderSession Session, ResolvedTarget Target, IReadOnlyList<ConnectAttempt> PassedOver);

namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// The right to drive one session, held by one Router instance. <see cref="Token"/> is a fencing token: it grows with
/// every new owner, and every write to the session's state is checked against it, so an owner that lost the lease (a
/// paused or partitioned Router) can no longer change anything.
/// </summary>
public sealed record SessionLease(string SessionId, string Owner, long Token);

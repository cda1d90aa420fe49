namespace VoicePlatform.Router.Sessions;

/// <summary>
/// The checkpointer's side of exactly-once audio turns (implemented by <see cref="InputAcknowledgement"/>): which client
/// input the items in a write account for, stored in the same write, and which items a landed write holds.
/// </summary>
public interface ICheckpointedCommits
{
    /// <summary>
    /// The last client frame whose audio the commits that made <paramref name="itemIds"/> took in, or null when none of
    /// them is an audio commit still waiting for its checkpoint.
    /// </summary>
    ulong? InputSeqOf(IReadOnlySet<string> itemIds);

    /// <summary>A checkpoint write holding <paramref name="itemIds"/> landed.</summary>
    void Checkpointed(IReadOnlyCollection<string> itemIds);
}

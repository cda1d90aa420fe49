namespace VoicePlatform.ServiceDefaults.Integrations.Messaging;

/// <summary>Configuration section <c>Messaging</c>: how the services' queues are declared on RabbitMQ.</summary>
public sealed class MessageBusOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// Declare every consumer queue as a quorum queue (replicated by Raft across the RabbitMQ cluster's nodes, so a node
    /// failure loses no event): on in production. Off by default, as a single local node gains nothing from it. A queue's
    /// type is fixed when it is first declared: switch it on a fresh broker (or delete the classic queues first).
    /// </summary>
    public bool QuorumQueues { get; set; }
}

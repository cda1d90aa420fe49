namespace VoicePlatform.Billing.Ledger;

/// <summary>What appending a usage event to the ledger did.</summary>
public enum LedgerOutcome
{
    Appended,
    /// <summary>Already in the ledger (a redelivery).</summary>
    Duplicate,
    /// <summary>Not appended: its request was answered again by a later Router attempt (a tombstone names it).</summary>
    Discarded,
}

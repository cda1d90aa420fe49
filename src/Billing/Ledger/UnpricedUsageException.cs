namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// A usage event the catalog has no price for (unknown model, or before the catalog's coverage). Not transient:
/// retrying cannot help, so the event goes straight to the error queue, kept until the catalog is fixed and it is moved back.
/// </summary>
public sealed class UnpricedUsageException(string message) : Exception(message);

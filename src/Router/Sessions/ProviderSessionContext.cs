using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Sessions;

/// <summary>What a connector knows about the session it serves.</summary>
public sealed record ProviderSessionContext(string SessionId, string TenantId, string RequestedModel, CatalogModel Model);

namespace VoicePlatform.Router.Providers;

/// <summary>
/// One configured provider: a section <c>Providers:&lt;Name&gt;</c> whose <see cref="Kind"/> says which connector
/// (wire protocol and translator) serves it. Catalog entries name an instance by <see cref="Key"/>, so Azure OpenAI, xAI
/// or Vertex AI are instances of an existing kind with their own URL, credentials and limits, not copies of a connector.
/// </summary>
/// <param name="Name">The section name, e.g. <c>OpenAI</c>, <c>Azure</c>, <c>Vertex</c>.</param>
/// <param name="Key">The catalog's provider key (<c>CatalogModel.Provider</c>) and the accepted model-id prefix.</param>
/// <param name="Kind">The connector: <see cref="ProviderKinds.OpenAI"/> or <see cref="ProviderKinds.Gemini"/>.</param>
/// <param name="Section">The instance's settings, bound to that kind's options class.</param>
public sealed record ProviderInstance(string Name, string Key, string Kind, IConfigurationSection Section);

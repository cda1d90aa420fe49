namespace VoicePlatform.Gateway.Models;

/// <summary>The public model catalog (configuration <c>ModelCatalog:Models</c>), so adding a model needs no code change.</summary>
public sealed class ModelCatalogOptions
{
    public List<CatalogModel> Models { get; set; } = [];
}

public sealed class CatalogModel
{
    public string Id { get; set; } = "";
    public string Provider { get; set; } = "";
    public string UpstreamModel { get; set; } = "";
}

namespace VoicePlatform.ModelCatalog;

/// <summary>Configuration section <c>ModelCatalog</c> (from <c>models.json</c> unless overridden).</summary>
public sealed class ModelCatalogOptions
{
    public const string SectionName = "ModelCatalog";

    public List<CatalogModel> Models { get; set; } = [];
}

using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The model a session runs on, as far as the Gateway knows it: the name the client connected with (a catalog model
/// or one of the tenant's routes) and, once the Router says which catalog model answered (session.created's
/// <c>routing.model</c>), that model. A client restating its model in <c>session.update</c> may use any of its names.
/// </summary>
public sealed class SessionModel(string connectedAs, CatalogModel? model, ModelDirectory? catalog = null)
{
    private volatile CatalogModel? _model = model;

    public string ConnectedAs { get; } = connectedAs;

    /// <summary>The catalog model serving the session; null until the Router has said (a route's session).</summary>
    public CatalogModel? Model => _model;

    public static SessionModel Of(CatalogModel model) => new(model.Id, model);

    /// <summary>The Router's session.created named the catalog model that answered.</summary>
    public void Answered(string modelId)
    {
        if (catalog is not null && catalog.TryResolve(modelId, out var answered)) _model = answered;
    }

    public bool IsNamedBy(string name) =>
        name == ConnectedAs || (_model is { } model && (name == model.Id || name == $"{model.Provider}/{model.Id}" || name == model.UpstreamModel));

    public override string ToString() => _model is { } model && model.Id != ConnectedAs ? $"{ConnectedAs}' ({model.Id})" : ConnectedAs;
}

using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// One service's database on <see cref="LocalPostgresResource"/>: <c>WithReference(database)</c> gives the service
/// <c>ConnectionStrings__{resource name}</c>. The server creates it once it is healthy.
/// </summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent.ConnectionString(DatabaseName)}");
}

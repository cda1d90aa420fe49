using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

public static class ServiceWiringExtensions
{
    /// <summary>The service's own database, as <c>ConnectionStrings__postgres-{service}</c>; starts once it exists.</summary>
    public static IResourceBuilder<ServiceResource> WithDatabase(this IResourceBuilder<ServiceResource> service, IResourceBuilder<LocalPostgresDatabaseResource> database) =>
        service.WithReference(database).WaitFor(service.ApplicationBuilder.CreateResourceBuilder(database.Resource.Parent));

    /// <summary>The message bus, as <c>ConnectionStrings__rabbitmq</c>.</summary>
    public static IResourceBuilder<ServiceResource> WithBus(this IResourceBuilder<ServiceResource> service, IResourceBuilder<LocalRabbitMqResource> bus) =>
        service.WithReference(bus, "rabbitmq").WaitFor(bus);
}

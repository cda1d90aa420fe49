namespace VoicePlatform.Gateway.Outbox;

public static class OutboxServiceCollectionExtensions
{
    public static IServiceCollection AddOutbox(this IServiceCollection services) => services.AddHostedService<OutboxDispatcher>();
}

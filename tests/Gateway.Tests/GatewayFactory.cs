using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VoicePlatform.Gateway.Tests;

/// <summary>A Gateway instance in the test process, on real PostgreSQL, Redis and RabbitMQ.</summary>
public sealed class GatewayFactory(string postgres, string redis, string rabbitMq, string operatorKey) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:postgres-gateway", postgres);
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("ConnectionStrings:rabbitmq", rabbitMq);
        builder.UseSetting("Gateway:OperatorKey", operatorKey);
        builder.UseSetting("Gateway:ApiKeyCacheSeconds", "30"); // long, so revocation must travel through Redis
    }
}

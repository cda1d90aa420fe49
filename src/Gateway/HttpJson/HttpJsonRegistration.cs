using VoicePlatform.Contracts.Json;

namespace VoicePlatform.Gateway.HttpJson;

public static class HttpJsonRegistration
{
    /// <summary>
    /// REST responses escape JSON only where JSON requires it, like the realtime events (<see cref="WireJson"/>):
    /// a transcript's <c>é</c> or a tool's <c>a+b</c> is returned as written.
    /// </summary>
    public static IServiceCollection AddClientJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = WireJson.Encoder);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.Tools;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Gateway.ClientSecrets;

/// <summary>
/// <c>POST /v1/realtime/client_secrets</c>: mints an ephemeral key for a browser or mobile client, in OpenAI's request and
/// response shape. Authenticated by a tenant API key (an ephemeral key cannot mint another). The key works only on
/// <c>/v1/realtime</c> (as a Bearer key or in the browser subprotocol), until <c>expires_at</c>, and pins the session
/// configuration it was minted with. Extension: <c>limits</c> caps each session it starts (duration, spend).
/// </summary>
public static class ClientSecretEndpoints
{
    private const int DefaultTtlSeconds = 600;
    private const int MinTtlSeconds = 10;
    private const int MaxTtlSeconds = 7200;
    private const long MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddClientSecrets(this IServiceCollection services)
    {
        services.AddSingleton<ClientSecretStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapClientSecrets(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/realtime/client_secrets", MintAsync).AddEndpointFilter<RequireTenantKeyFilter>()
            .WithName("CreateClientSecret").WithTags("Realtime")
            .WithSummary("Mint an ephemeral key for a browser or mobile client (pins the session; optional per-session limits)")
            .DocumentJsonBody<ClientSecretRequest>()
            .Produces<ClientSecretResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> MintAsync(HttpContext http, ClientSecretStore store, ModelDirectory catalog,
        VoicePlatform.Contracts.Routing.Routing.RoutingClient routing, IOptionsMonitor<RealtimeOptions> realtime, TimeProvider clock)
    {
        var caller = RequireTenantKeyFilter.GetTenant(http);
        if (http.Request.ContentLength > MaxBodyBytes)
            return Invalid("invalid_value", $"The request body exceeds {MaxBodyBytes} bytes.", null);
        var (body, invalid) = await JsonRequestBody.ReadAsync<JsonObject>(http);
        if (invalid is not null) return invalid;

        var ttl = DefaultTtlSeconds;
        if (body!["expires_after"] is { } expiresAfter)
        {
            if (expiresAfter is not JsonObject expiry) return Invalid("invalid_type", "'expires_after' must be an object.", "expires_after");
            if (expiry["anchor"] is { } anchor && (anchor.GetValueKind() != JsonValueKind.String || anchor.GetValue<string>() != "created_at"))
                return Invalid("invalid_value", "'expires_after.anchor' must be \"created_at\".", "expires_after.anchor");
            if (expiry["seconds"] is { } seconds && (!TryInt(seconds, out ttl) || ttl is < MinTtlSeconds or > MaxTtlSeconds))
                return Invalid("invalid_value", $"'expires_after.seconds' must be an integer between {MinTtlSeconds} and {MaxTtlSeconds}.", "expires_after.seconds");
        }

        var session = body["session"] as JsonObject ?? [];
        if (body["session"] is { } given && given is not JsonObject) return Invalid("invalid_type", "'session' must be an object.", "session");
        if (session["type"] is { } type && (type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != "realtime"))
            return Invalid("invalid_value", "'session.type' must be \"realtime\" (transcription sessions are not supported).", "session.type");
        string? model = null;
        if (session["model"] is { } modelNode)
        {
            model = modelNode.GetValueKind() == JsonValueKind.String ? modelNode.GetValue<string>() : null;
            if (!catalog.TryResolve(model, out _) && !await IsRouteAsync(routing, caller.TenantId, model, http.RequestAborted))
                return Invalid("model_not_found", $"The model '{model}' does not exist or you do not have access to it. Available models: {string.Join(", ", catalog.Models.Select(m => m.Id))}.", "session.model");
        }

        // session.user names the end user (the experiment subject); the browser holding the key cannot change it.
        string? user = null;
        if (session["user"] is { } userNode)
        {
            if (userNode.GetValueKind() != JsonValueKind.String) return Invalid("invalid_type", "'session.user' must be a string.", "session.user");
            user = userNode.GetValue<string>();
            var problem = user.Length == 0 ? "it may not be empty." : VoicePlatform.Gateway.Realtime.SessionSubject.Check(user);
            if (problem is not null) return Invalid("invalid_value", $"Invalid 'session.user': {problem}", "session.user");
        }

        // The configuration is applied as the session's first session.update: check now what the Gateway can check (formats).
        var pinned = session.DeepClone().AsObject();
        pinned.Remove("model");
        pinned.Remove("user");
        pinned.Remove("object");
        pinned.Remove("id");
        pinned["type"] = "realtime";
        var update = new JsonObject { ["type"] = "session.update", ["session"] = pinned.DeepClone() };
        if (new ClientEventTranslator(new ClientAudioFormats()).Translate(JsonSerializer.SerializeToUtf8Bytes(update)).Error is { } configError)
            return Invalid(configError.Code ?? "invalid_value", configError.Message,
                configError.Param is { } param && param.StartsWith("session", StringComparison.Ordinal) ? param : $"session.{configError.Param}");

        int? maxDuration = null;
        decimal? maxSpend = null;
        if (body["limits"] is { } limitsNode)
        {
            if (limitsNode is not JsonObject limits) return Invalid("invalid_type", "'limits' must be an object.", "limits");
            var longest = (int)realtime.CurrentValue.MaxSessionDuration.TotalSeconds;
            if (limits["max_session_duration_seconds"] is { } duration)
            {
                if (!TryInt(duration, out var seconds) || seconds < 1 || seconds > longest)
                    return Invalid("invalid_value", $"'limits.max_session_duration_seconds' must be an integer between 1 and {longest}.", "limits.max_session_duration_seconds");
                maxDuration = seconds;
            }
            if (limits["max_spend_usd"] is { } spend)
            {
                if (!TryDecimal(spend, out var usd) || usd <= 0 || usd.Scale > 6)
                    return Invalid("invalid_value", "'limits.max_spend_usd' must be a positive USD amount (a decimal string such as \"0.50\", at most 6 decimal places).", "limits.max_spend_usd");
                maxSpend = usd;
            }
        }

        var expiresAt = clock.GetUtcNow().ToUnixTimeSeconds() + ttl;
        var value = await store.MintAsync(new ClientSecret(caller.TenantId, caller.KeyId, model, pinned.ToJsonString(), maxDuration, maxSpend, expiresAt, user));

        var described = session.DeepClone().AsObject();
        described["type"] = "realtime";
        described["object"] = "realtime.session";
        if (model is not null) described["model"] = model;
        var response = new JsonObject { ["value"] = value, ["expires_at"] = expiresAt, ["session"] = described };
        if (maxDuration is not null || maxSpend is not null)
        {
            response["limits"] = new JsonObject
            {
                ["max_session_duration_seconds"] = maxDuration,
                ["max_spend_usd"] = maxSpend?.ToString(CultureInfo.InvariantCulture),
            };
        }
        return Results.Json(response);
    }

    private static bool TryInt(JsonNode node, out int value)
    {
        value = 0;
        return node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out value);
    }

    private static bool TryDecimal(JsonNode node, out decimal value)
    {
        value = 0;
        return node.GetValueKind() switch
        {
            JsonValueKind.String => decimal.TryParse(node.GetValue<string>(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value),
            JsonValueKind.Number => node.AsValue().TryGetValue(out value),
            _ => false,
        };
    }

    private static IResult Invalid(string code, string message, string? param) =>
        OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", code, message, param);

    /// <summary>Whether <paramref name="name"/> is one of the tenant's routes (the Router owns them).</summary>
    private static async Task<bool> IsRouteAsync(VoicePlatform.Contracts.Routing.Routing.RoutingClient routing, Guid tenantId, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name)) return false;
        try
        {
            await routing.GetRouteAsync(new VoicePlatform.Contracts.Routing.RoutingRequest { TenantId = tenantId.ToString(), Name = name }, cancellationToken: cancellationToken);
            return true;
        }
        catch (global::Grpc.Core.RpcException e) when (e.StatusCode is global::Grpc.Core.StatusCode.NotFound or global::Grpc.Core.StatusCode.InvalidArgument)
        {
            return false;
        }
    }
}

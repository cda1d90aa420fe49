using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace VoicePlatform.Gateway.Tests.OpenApi;

/// <summary>
/// Every REST endpoint the Gateway maps is in <c>/openapi/v1.json</c>, under its path and method, with a response
/// schema: each 2xx response (but 204) has a content schema, and an endpoint without a 2xx body (the WebSocket upgrade)
/// documents its error bodies. Left out by design: gRPC services, management endpoints (health, metrics), the
/// operator API (<c>/v1/admin</c>), the document itself and the docs page.
/// </summary>
public sealed partial class OpenApiCompletenessTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    private static readonly string[] NotInTheDocument = ["/health", "/alive", "/metrics", "/v1/admin", "/openapi", "/docs"];

    [Fact]
    public async Task Every_rest_endpoint_is_documented_with_a_response_schema()
    {
        using var anonymous = context.First.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var (path, method) in RestEndpoints())
        {
            checkedCount++;
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{method} {path}: not in the document");
                continue;
            }
            if (!operation.TryGetProperty("responses", out var responses))
            {
                problems.Add($"{method} {path}: no responses");
                continue;
            }
            var success = responses.EnumerateObject().Where(r => r.Name is ['2', _, _] or "101").ToList();
            if (success.Count == 0) problems.Add($"{method} {path}: no success response");
            foreach (var response in success.Where(r => r.Name is not ("204" or "101")))
            {
                if (!HasSchema(response.Value)) problems.Add($"{method} {path}: response {response.Name} has no schema");
            }
            if (success.All(r => r.Name is "204" or "101") && !responses.EnumerateObject().Any(r => HasSchema(r.Value)))
                problems.Add($"{method} {path}: no response documents a body");
        }

        Assert.True(checkedCount > 20, $"only {checkedCount} endpoints found: the enumeration is broken");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_documents_tags_are_exactly_those_its_operations_use()
    {
        // A tag no operation uses (the default one, named after an endpoint's class) shows as an empty section in /docs.
        using var anonymous = context.First.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var declared = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToHashSet();
        var used = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("tags", out _))
            .SelectMany(o => o.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!))
            .ToHashSet();
        Assert.Equal(used.Order(), declared.Order());
    }

    [Fact]
    public async Task The_realtime_upgrade_documents_its_parameters_and_http_errors()
    {
        using var anonymous = context.First.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var realtime = document.GetProperty("paths").GetProperty("/v1/realtime").GetProperty("get");

        var parameters = realtime.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        foreach (var name in new[] { "model", "session_id", "resume_token", "Sec-WebSocket-Protocol" }) Assert.Contains(name, parameters);
        var responses = realtime.GetProperty("responses");
        Assert.Equal(["101", "400", "401", "404", "429", "503"], responses.EnumerateObject().Select(r => r.Name).Order());
        foreach (var status in new[] { "400", "401", "404", "429", "503" })
            Assert.EndsWith("/ErrorResponse", responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());

        var createRoute = document.GetProperty("paths").GetProperty("/v1/routes").GetProperty("post").GetProperty("responses");
        Assert.False(createRoute.TryGetProperty("200", out _), "a created route is 201");
        Assert.Contains("RouteResponse", createRoute.GetProperty("201").ToString());
        var models = document.GetProperty("paths").GetProperty("/v1/models").GetProperty("get").GetProperty("responses");
        Assert.Contains("ModelListResponse", models.GetProperty("200").ToString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ModelResponse").GetProperty("properties").TryGetProperty("prices_per_million_tokens", out _));
        Assert.True(schemas.TryGetProperty("ClientSecretResponse", out _));
    }

    [Fact]
    public async Task The_main_endpoints_show_request_and_response_examples_whose_fields_are_in_their_schemas()
    {
        using var anonymous = context.First.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        (string Method, string Path, bool HasBody)[] main =
        [
            ("get", "/v1/models", false), ("get", "/v1/models/{model}", false), ("post", "/v1/realtime/client_secrets", true),
            ("post", "/v1/routes", true), ("post", "/v1/experiments", true), ("post", "/v1/tools", true),
            ("get", "/v1/sessions", false), ("get", "/v1/usage", false),
        ];

        var problems = new List<string>();
        foreach (var (method, path, hasBody) in main)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            var media = new List<(string What, JsonElement Media)>();
            if (hasBody) media.Add(("request", operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")));
            var success = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2'));
            media.Add(($"response {success.Name}", success.Value.GetProperty("content").GetProperty("application/json")));
            foreach (var (what, content) in media)
            {
                if (!content.TryGetProperty("example", out var example)) problems.Add($"{method} {path}: no {what} example");
                else CheckFields(example, content.GetProperty("schema"), schemas, $"{method} {path} {what} example", problems);
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Every field of an example object is a property of its schema (through $refs, into nested objects and arrays).</summary>
    private static void CheckFields(JsonElement example, JsonElement schema, JsonElement schemas, string at, List<string> problems)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        if (example.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var element in example.EnumerateArray()) CheckFields(element, items, schemas, at + "[]", problems);
            return;
        }
        if (example.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties)) return; // free-form (JsonNode, maps)
        foreach (var field in example.EnumerateObject())
        {
            if (!properties.TryGetProperty(field.Name, out var fieldSchema)) problems.Add($"{at}: '{field.Name}' is not in the schema");
            else CheckFields(field.Value, fieldSchema, schemas, $"{at}.{field.Name}", problems);
        }
    }

    private IEnumerable<(string Path, string Method)> RestEndpoints()
    {
        var sources = context.First.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            // gRPC methods and gRPC's catch-all for unknown services ("gRPC - ..."), and management endpoints.
            if (endpoint.DisplayName?.StartsWith("gRPC", StringComparison.Ordinal) == true
                || endpoint.Metadata.Any(m => m.GetType().Namespace?.StartsWith("Grpc.", StringComparison.Ordinal) == true)
                || endpoint.Metadata.Any(m => m.GetType().Name == "ManagementEndpointMetadata")) continue;
            var path = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText ?? "", "}").Trim('/');
            if (NotInTheDocument.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal))) continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            Assert.True(methods.Count > 0, $"{path} answers every method: map it with a verb");
            foreach (var method in methods) yield return (path, method);
        }
    }

    private static bool HasSchema(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));

    // "{id:guid}" → "{id}", as OpenAPI writes path parameters.
    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex RouteConstraint();
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VoicePlatform.Gateway.Realtime;

namespace VoicePlatform.Gateway.Tools;

/// <summary>
/// The OpenAPI document of the tenant-facing REST API (<c>/openapi/v1.json</c>): tenant endpoints with their request
/// and response schemas and the Bearer API key scheme. The operator API (/v1/admin) is not part of it.
/// </summary>
public static class PublicApiDocument
{
    public const string SchemeName = "tenant_api_key";

    public static IServiceCollection AddPublicApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("v1/admin", StringComparison.Ordinal) != true;
            options.AddOperationTransformer<RealtimeEndpointDocumentation>();
            options.AddDocumentTransformer<ApiDocs.RestApiExamples>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "VoicePlatform API",
                    Version = "v1",
                    Description = "Tenant REST API of the VoicePlatform gateway. Authenticate with `Authorization: Bearer <tenant API key>`.\n\n"
                        + $"The realtime WebSocket (`GET /v1/realtime`, the OpenAI Realtime protocol plus our extensions): [protocol reference]({ApiDocs.RealtimeProtocolDocs.PagePath}) · "
                        + $"[AsyncAPI 3.0 document]({ApiDocs.RealtimeProtocolDocs.AsyncApiPath}).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A tenant API key (vpk_...).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
        });
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VoicePlatform.Gateway.Tools;

/// <summary>
/// Documents a JSON request body that the handler reads itself. <c>Accepts&lt;T&gt;()</c> would also make routing
/// turn away other content types before the handler runs (with an empty response), instead of the handler's
/// OpenAI-style 400.
/// </summary>
public static class JsonRequestBodyDocumentation
{
    public static RouteHandlerBuilder DocumentJsonBody<TBody>(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, cancellationToken);
            var name = typeof(TBody).Name;
            context.Document?.AddComponent(name, schema);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, context.Document) },
                },
            };
        });
}

using NJsonSchema;
using NJsonSchema.References;

namespace VoicePlatform.Tools.Schemas;

/// <summary>
/// Loads tenant-supplied JSON Schemas with only document-internal <c>$ref</c>s (<c>#/definitions/...</c>).
/// NJsonSchema would otherwise fetch <c>http(s)://</c> references and read local files, which would let a tenant make
/// this service call arbitrary URLs (SSRF) or read its file system.
/// </summary>
public static class LocalSchemaLoader
{
    public static Task<JsonSchema> LoadAsync(string json, CancellationToken cancellationToken) =>
        JsonSchema.FromJsonAsync(json, documentPath: null, schema => new InternalReferencesOnlyResolver(schema), cancellationToken);

    private sealed class InternalReferencesOnlyResolver(JsonSchema schema)
        : JsonReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()))
    {
        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken) =>
            throw new NotSupportedException($"External schema references are not allowed ('{filePath}'); use #/definitions/...");

        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken) =>
            throw new NotSupportedException($"External schema references are not allowed ('{url}'); use #/definitions/...");
    }
}

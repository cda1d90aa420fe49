using System.Text.Json;
using NJsonSchema;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Schemas;

/// <summary>
/// Checks that a tool's <c>parameters</c> is a JSON Schema a model can call with: a JSON object with
/// <c>"type": "object"</c> at the root (function calling passes named arguments) that is valid against the draft-07
/// meta-schema (so <c>"type": "strin"</c> or <c>"required": "x"</c> are caught at registration, not at call time).
/// </summary>
public static class ToolParametersSchema
{
    public const int MaxLength = 32 * 1024;

    public const string Empty = """{"type":"object","properties":{}}""";

    private static readonly Lazy<JsonSchema> MetaSchema = new(LoadMetaSchema);

    /// <summary>Returns the schema to store (<see cref="Empty"/> for none) or throws <see cref="ToolValidationException"/>.</summary>
    public static async Task<string> ValidateAsync(string? parametersJson, CancellationToken cancellationToken)
    {
        const string param = "parameters";
        if (string.IsNullOrWhiteSpace(parametersJson)) return Empty;
        if (parametersJson.Length > MaxLength)
            throw new ToolValidationException(param, $"parameters is longer than {MaxLength} characters.");

        try
        {
            using var document = JsonDocument.Parse(parametersJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ToolValidationException(param, "parameters must be a JSON Schema object.");
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
                throw new ToolValidationException(param, "parameters must be a JSON Schema with \"type\": \"object\" at the root.");
        }
        catch (JsonException ex)
        {
            throw new ToolValidationException(param, $"parameters is not valid JSON: {ex.Message}");
        }

        var errors = MetaSchema.Value.Validate(parametersJson);
        if (errors.Count > 0)
            throw new ToolValidationException(param, "parameters is not a valid JSON Schema: " + string.Join("; ", SchemaErrorDescriber.Describe(errors)));

        try
        {
            // What execution will do with it; catches external and unresolvable references.
            _ = await LocalSchemaLoader.LoadAsync(parametersJson, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ToolValidationException(param, $"parameters is not a usable JSON Schema: {ex.Message}");
        }
        return parametersJson;
    }

    private static JsonSchema LoadMetaSchema()
    {
        using var stream = typeof(ToolParametersSchema).Assembly.GetManifestResourceStream("VoicePlatform.Tools.Schemas.json-schema-draft-07.json")
            ?? throw new InvalidOperationException("The draft-07 meta-schema is not embedded.");
        using var reader = new StreamReader(stream);
        // Internal references only, and loaded once: blocking on this first use is harmless.
        return LocalSchemaLoader.LoadAsync(reader.ReadToEnd(), CancellationToken.None).GetAwaiter().GetResult();
    }
}

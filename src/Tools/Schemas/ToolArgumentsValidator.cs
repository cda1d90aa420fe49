using System.Text.Json;
using NJsonSchema;

namespace VoicePlatform.Tools.Schemas;

/// <summary>Checks a model's arguments against the tool's JSON Schema; problems are sentences the model can act on.</summary>
public static class ToolArgumentsValidator
{
    public static async Task<IReadOnlyList<string>> ValidateAsync(string parametersJson, string argumentsJson, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = JsonDocument.Parse(argumentsJson);
        }
        catch (JsonException)
        {
            return ["(root): arguments are not valid JSON"];
        }
        var schema = await LocalSchemaLoader.LoadAsync(parametersJson, cancellationToken);
        return SchemaErrorDescriber.Describe(schema.Validate(argumentsJson));
    }
}

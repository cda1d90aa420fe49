using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// JSON Schema (OpenAI tool <c>parameters</c>) → Gemini <c>Schema</c> (OpenAPI 3.0 subset): upper-case <c>type</c>,
/// <c>["x","null"]</c> → <c>nullable</c>, <c>const</c> → one-value <c>enum</c>; keywords Gemini does not know
/// (<c>additionalProperties</c>, <c>$schema</c>, <c>$ref</c>, …) are dropped because the real API closes 1007 on unknown fields.
/// </summary>
internal static class GeminiSchemaConverter
{
    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal)
    {
        "format", "description", "title", "nullable", "enum", "maxItems", "minItems", "minProperties", "maxProperties",
        "minLength", "maxLength", "pattern", "example", "default", "minimum", "maximum", "propertyOrdering",
    };

    public static void Write(Utf8JsonWriter w, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "STRING"u8);
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject();
        var nullable = false;
        if (schema.TryGetProperty("type", out var type))
        {
            string? single = null;
            if (type.ValueKind == JsonValueKind.String)
            {
                single = type.GetString();
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in type.EnumerateArray())
                {
                    var name = t.GetString();
                    if (name == "null")
                    {
                        nullable = true;
                    }
                    else
                    {
                        single ??= name;
                    }
                }
            }

            if (single is not null)
            {
                w.WriteString("type"u8, single.ToUpperInvariant());
            }
        }

        if (nullable && !schema.TryGetProperty("nullable", out _))
        {
            w.WriteBoolean("nullable"u8, true);
        }

        foreach (var p in schema.EnumerateObject())
        {
            switch (p.Name)
            {
                case "properties" when p.Value.ValueKind == JsonValueKind.Object:
                    w.WriteStartObject("properties"u8);
                    foreach (var property in p.Value.EnumerateObject())
                    {
                        w.WritePropertyName(property.Name);
                        Write(w, property.Value);
                    }

                    w.WriteEndObject();
                    break;
                case "items":
                    w.WritePropertyName("items"u8);
                    Write(w, p.Value);
                    break;
                case "anyOf" or "oneOf" when p.Value.ValueKind == JsonValueKind.Array:
                    w.WriteStartArray("anyOf"u8);
                    foreach (var option in p.Value.EnumerateArray())
                    {
                        Write(w, option);
                    }

                    w.WriteEndArray();
                    break;
                case "required" when p.Value.ValueKind == JsonValueKind.Array:
                    w.WritePropertyName("required"u8);
                    p.Value.WriteTo(w);
                    break;
                case "const":
                    w.WriteStartArray("enum"u8);
                    p.Value.WriteTo(w);
                    w.WriteEndArray();
                    break;
                default:
                    if (PassThrough.Contains(p.Name))
                    {
                        p.WriteTo(w);
                    }

                    break;
            }
        }

        w.WriteEndObject();
    }

    /// <summary>An object schema without properties: Gemini wants the <c>parameters</c> field left out instead.</summary>
    public static bool IsEmptyObject(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object
        || (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object || !properties.EnumerateObject().Any())
            && !schema.TryGetProperty("anyOf", out _);
}

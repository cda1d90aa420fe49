using System.Text.Json;

namespace VoicePlatform.Console.Forms;

/// <summary>A textarea holding JSON: parsed here so a typo is reported beside the field before anything is sent.</summary>
public static class JsonField
{
    public static bool TryParse(string? text, string field, FormErrors errors, out JsonElement value)
    {
        value = default;
        try
        {
            value = JsonElement.Parse(text ?? "");
            return true;
        }
        catch (JsonException e)
        {
            errors.Add(field, $"Not valid JSON: {e.Message}");
            return false;
        }
    }

    public static string Pretty(JsonElement value) => JsonSerializer.Serialize(value, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}

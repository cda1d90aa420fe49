using System.Text.Json;

namespace VoicePlatform.Emulators.DemoToolCalls;

/// <summary>A declared function as the demo matcher sees it: its name, description and JSON-schema parameters.</summary>
/// <param name="Parameters">The declaration's parameter schema (OpenAI's JSON Schema or Gemini's OpenAPI subset, whose
/// types are upper case); null when the function takes none.</param>
public sealed record DemoTool(string Name, string? Description, JsonElement? Parameters);

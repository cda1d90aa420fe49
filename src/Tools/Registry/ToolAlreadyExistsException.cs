namespace VoicePlatform.Tools.Registry;

public sealed class ToolAlreadyExistsException(string name) : Exception($"A tool named '{name}' already exists.");

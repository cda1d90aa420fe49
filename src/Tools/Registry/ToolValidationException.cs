namespace VoicePlatform.Tools.Registry;

/// <summary>A tool definition or setting that breaks a registry rule; <see cref="Param"/> names the offending field.</summary>
public sealed class ToolValidationException(string param, string message) : Exception(message)
{
    public string Param { get; } = param;
}

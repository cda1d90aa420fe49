namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>Why a route or experiment definition was refused: an OpenAI-style code, a message and the offending field.</summary>
public sealed class RoutingError(string code, string message, string? param) : Exception(message)
{
    public string Code { get; } = code;

    public string? Param { get; } = param;

    public static RoutingError Missing(string param) => new("missing_required_parameter", $"Missing required parameter: '{param}'.", param);

    public static RoutingError Invalid(string param, string message) => new("invalid_value", message, param);

    public static RoutingError WrongType(string param, string expected) => new("invalid_type", $"Invalid type for '{param}': expected {expected}.", param);

    public static RoutingError Unknown(string param) => new("unknown_parameter", $"Unknown parameter: '{param}'.", param);
}

using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Execution;

/// <summary>The snake_case names outcomes have in tool outputs, events, logs and metrics.</summary>
public static class ToolOutcomeNames
{
    public static string Of(ToolOutcome outcome) => outcome switch
    {
        ToolOutcome.Ok => "ok",
        ToolOutcome.InvalidArguments => "invalid_arguments",
        ToolOutcome.Timeout => "timeout",
        ToolOutcome.WebhookError => "webhook_error",
        ToolOutcome.CircuitOpen => "circuit_open",
        ToolOutcome.ResponseTooLarge => "response_too_large",
        ToolOutcome.ForbiddenTarget => "forbidden_target",
        ToolOutcome.NotFound => "not_found",
        ToolOutcome.Cancelled => "cancelled",
        _ => "unspecified",
    };
}

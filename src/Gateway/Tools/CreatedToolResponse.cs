using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Gateway.Tools;

/// <summary>The created tool plus its signing secret: the only response that ever contains it (besides a rotation).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed class CreatedToolResponse : ToolResponse
{
    [JsonPropertyName("signing_secret")] public required string SigningSecret { get; init; }

    public static CreatedToolResponse From(CreateToolResponse created)
    {
        var tool = ToolResponse.From(created.Tool);
        return new CreatedToolResponse
        {
            Name = tool.Name, Description = tool.Description, Parameters = tool.Parameters, WebhookUrl = tool.WebhookUrl,
            TimeoutMs = tool.TimeoutMs, SafeToRetry = tool.SafeToRetry, Loggable = tool.Loggable, CreatedAt = tool.CreatedAt,
            UpdatedAt = tool.UpdatedAt, SigningSecret = created.SigningSecret,
        };
    }
}

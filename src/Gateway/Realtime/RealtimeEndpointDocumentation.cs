using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// Describes <c>GET /v1/realtime</c> in the OpenAPI document: a WebSocket upgrade (101) carrying the OpenAI Realtime
/// protocol, with the query parameters and headers it reads and the HTTP errors it answers before the upgrade. The
/// handler writes its responses itself, so nothing can be inferred from it.
/// </summary>
public sealed class RealtimeEndpointDocumentation : IOpenApiOperationTransformer
{
    private const string ErrorSchema = nameof(ErrorResponse);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath != "v1/realtime" || context.Description.HttpMethod != HttpMethods.Get) return;
        context.Document?.AddComponent(ErrorSchema, await context.GetOrCreateSchemaAsync(typeof(ErrorResponse), null, cancellationToken));

        operation.OperationId = "ConnectRealtime";
        operation.Summary = "Open a realtime session (WebSocket, OpenAI Realtime GA protocol)";
        operation.Description =
            "Upgrade to a WebSocket (`Upgrade: websocket`) and speak the OpenAI Realtime GA protocol: client events "
            + "(`session.update`, `input_audio_buffer.append`, `conversation.item.create`, `response.create`, …) in, server "
            + "events out, plus the platform's documented extensions (`resume` in `session.created`, `routing`, "
            + "`session.idle_warning`, `session.limit_reached`, …). Authenticate with `Authorization: Bearer <tenant API key "
            + "or ephemeral key>`, or from a browser with the subprotocols `realtime, openai-insecure-api-key.<key>`. "
            + "Everything that can be refused over HTTP is refused before the upgrade; problems with the model or the "
            + "session are an `error` event and a close.";
        operation.Tags = new HashSet<OpenApiTagReference> { new("Realtime", context.Document) };
        operation.Parameters =
        [
            Query("model", "A catalog model (`gpt-realtime-2`, `gemini-3.1-flash-live`, `openai/…`) or one of your routes. "
                + "Optional with an ephemeral key that pins one; ignored when resuming."),
            Query("session_id", "Resume a session whose connection dropped (with `resume_token`), within its resume window."),
            Query("resume_token", "The token from `session.created`'s `resume` field."),
            Query("user", "The end user (experiment subject), at most 256 characters; also `X-VoicePlatform-Subject`."),
            Header("Sec-WebSocket-Protocol", "Browsers: `realtime, openai-insecure-api-key.<key>`."),
            Header("X-VoicePlatform-Session-Id", "Same as `session_id`."),
            Header("X-VoicePlatform-Resume-Token", "Same as `resume_token`."),
            Header("X-VoicePlatform-Subject", "Same as `user`."),
        ];
        operation.Responses = new OpenApiResponses
        {
            ["101"] = new OpenApiResponse { Description = "Switching Protocols: the WebSocket is open; the first server event is `session.created`." },
            ["400"] = Error(context, "Not a WebSocket request (`websocket_required`), a model other than the ephemeral key's (`model_mismatch`), or an invalid subject (`invalid_value`)."),
            ["401"] = Error(context, "Missing, unknown or revoked API key, or an expired ephemeral key (`invalid_api_key`)."),
            ["404"] = Error(context, "No resumable session with this id and resume token (`session_not_found`)."),
            ["429"] = Error(context, "Too many failed authentications, or a concurrency, start-rate or budget limit (`Retry-After` when retrying helps)."),
            ["503"] = Error(context, "This Gateway is shutting down (`server_shutting_down`; connect again) or cannot check keys right now."),
        };
    }

    private static OpenApiParameter Query(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Query, Required = false, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name, In = ParameterLocation.Header, Required = false, Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static OpenApiResponse Error(OpenApiOperationTransformerContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchema, context.Document) },
        },
    };
}

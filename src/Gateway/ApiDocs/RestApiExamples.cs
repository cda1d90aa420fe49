using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VoicePlatform.Gateway.ApiDocs;

/// <summary>
/// Request and response examples for the main endpoints of the tenant REST API, shown by <c>/docs</c> next to the
/// schemas. A document transformer, so it runs after every operation transformer has added the request bodies. The
/// examples' field names are checked against the schemas by <c>OpenApiCompletenessTests</c>.
/// </summary>
public sealed class RestApiExamples : IOpenApiDocumentTransformer
{
    /// <summary>(method, path) → request example (null: no body), success status, response example.</summary>
    public static readonly IReadOnlyDictionary<(string Method, string Path), (string? Request, string Status, string Response)> Examples =
        new Dictionary<(string, string), (string?, string, string)>
        {
            [("GET", "/v1/models")] = (null, "200", """
                {"object":"list","data":[
                  {"id":"gpt-realtime-2","object":"model","created":1778112000,"owned_by":"openai","description":"OpenAI Realtime GA speech-to-speech model",
                   "audio_formats":["audio/pcm","audio/pcmu","audio/pcma"],
                   "capabilities":{"tools":true,"input_transcription":true,"text_output":true,"images":true},
                   "limits":{"provider_session_minutes":60,"context_window_tokens":128000},
                   "prices_per_million_tokens":{"audio_input":32.0,"audio_input_cached":0.4,"audio_output":64.0}},
                  {"id":"support-voice","object":"model","created":1764600000,"owned_by":"tenant","description":"Support line","route":{"target":"gemini-3.1-flash-live"}}]}
                """),
            [("GET", "/v1/models/{model}")] = (null, "200", """
                {"id":"gemini-3.1-flash-live","object":"model","created":1774483200,"owned_by":"google","description":"Gemini Live native-audio model",
                 "audio_formats":["audio/pcm","audio/pcmu","audio/pcma"],"capabilities":{"tools":true,"input_transcription":true,"text_output":false,"images":false},
                 "limits":{"provider_connection_minutes":10,"context_window_tokens":128000}}
                """),
            [("POST", "/v1/realtime/client_secrets")] = ("""
                {"expires_after":{"anchor":"created_at","seconds":600},
                 "session":{"type":"realtime","model":"gpt-realtime-2","instructions":"Be brief."},
                 "limits":{"max_session_duration_seconds":300,"max_spend_usd":"0.50"}}
                """, "200", """
                {"value":"ek_3f9c1b7e2d4a","expires_at":1764000600,
                 "session":{"type":"realtime","object":"realtime.session","model":"gpt-realtime-2","instructions":"Be brief."},
                 "limits":{"max_session_duration_seconds":300,"max_spend_usd":"0.50"}}
                """),
            [("POST", "/v1/routes")] = ("""
                {"name":"support-voice","description":"Support line","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief."}}}
                """, "201", """
                {"object":"route","name":"support-voice","description":"Support line","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief."}},
                 "created_at":1764600000,"updated_at":1764600000}
                """),
            [("POST", "/v1/experiments")] = ("""
                {"name":"gemini-vs-gpt","route":"support-voice","traffic_percent":100,"subject":"user",
                 "arms":[{"name":"control","target":{"model":"gpt-realtime-2"},"weight":50},{"name":"gemini","target":{"model":"gemini-3.1-flash-live"},"weight":50}]}
                """, "201", """
                {"object":"experiment","id":"exp_3f2a9c1b7d6e4f5a8b9c0d1e","name":"gemini-vs-gpt","route":"support-voice","status":"draft","traffic_percent":100,"subject":"user",
                 "arms":[{"name":"control","target":{"model":"gpt-realtime-2"},"weight":50},{"name":"gemini","target":{"model":"gemini-3.1-flash-live"},"weight":50}],
                 "assignments":{"arms":{"control":0,"gemini":0},"holdout":0,"sample_ratio":{"chi_square":0,"p_value":1,"mismatch":false}},
                 "created_at":1764600000,"started_at":null,"stopped_at":null}
                """),
            [("POST", "/v1/tools")] = ("""
                {"name":"lookup_order","description":"Status of a customer's order.",
                 "parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]},
                 "webhook_url":"https://example.com/hooks/lookup_order","timeout_ms":5000,"safe_to_retry":true,"loggable":true}
                """, "201", """
                {"object":"tool","name":"lookup_order","description":"Status of a customer's order.",
                 "parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]},
                 "webhook_url":"https://example.com/hooks/lookup_order","timeout_ms":5000,"safe_to_retry":true,"loggable":true,
                 "created_at":1764600000,"updated_at":1764600000,"signing_secret":"whsec_9a8b7c6d5e4f"}
                """),
            [("GET", "/v1/sessions")] = (null, "200", """
                {"object":"list","data":[
                  {"object":"session","id":"sess_5cKTOoCTvbujtK7Q","model":"gpt-realtime-2","provider":"openai","route":"support-voice",
                   "experiment_id":"exp_3f2a9c1b7d6e4f5a8b9c0d1e","experiment_arm":"control","client_protocol":"openai-realtime",
                   "started_at":1764600000,"ended_at":1764600095,"duration_ms":95012,"end_reason":"client_closed","has_recording":true}],
                 "has_more":false,"next_cursor":null}
                """),
            [("GET", "/v1/usage")] = (null, "200", """
                {"object":"list","group_by":"model","from":"2026-12-01T00:00:00+00:00","to":"2026-12-05T00:00:00+00:00",
                 "data":[{"object":"usage.bucket","key":"gpt-realtime-2",
                   "tokens":{"input_audio":18250,"input_text":1200,"input_image":0,"cached_input_audio":6400,"cached_input_text":0,"cached_input_image":0,"output_audio":24100,"output_text":900},
                   "connection_ms":3605000,"events":412,"cost_usd":"2.184000","sessions":38}],
                 "total_cost_usd":"2.184000"}
                """),
        };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var ((method, path), (request, status, response)) in Examples)
        {
            if (document.Paths?.TryGetValue(path, out var item) != true || item!.Operations is not { } operations
                || !operations.TryGetValue(HttpMethod.Parse(method), out var operation)) continue;
            if (request is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
                body!.Example = JsonNode.Parse(request);
            if (operation.Responses?.TryGetValue(status, out var answer) == true
                && answer!.Content?.TryGetValue("application/json", out var content) == true)
                content!.Example = JsonNode.Parse(response);
        }
        return Task.CompletedTask;
    }
}

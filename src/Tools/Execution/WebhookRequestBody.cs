using VoicePlatform.Contracts.Json;
using System.Text.Json;

namespace VoicePlatform.Tools.Execution;

/// <summary>The JSON a webhook receives: <c>{"tenant_id","session_id","call_id","tool","arguments"}</c>.</summary>
public static class WebhookRequestBody
{
    public static byte[] Create(ToolCall call, string argumentsJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant_id", call.TenantId);
            writer.WriteString("session_id", call.SessionId);
            writer.WriteString("call_id", call.CallId);
            writer.WriteString("tool", call.ToolName);
            writer.WritePropertyName("arguments");
            writer.WriteRawValue(argumentsJson);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}

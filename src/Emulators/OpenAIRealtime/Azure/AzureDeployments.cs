using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;

namespace VoicePlatform.Emulators.OpenAIRealtime.Azure;

/// <summary>
/// Azure's <c>?model=</c> names a deployment, not a model. This maps it to the model behind it and refuses, at the
/// handshake, deployments Azure would not open a realtime session on: HTTP 400 with Azure's own error body
/// <c>{"error":{"code":"OpperationNotSupported","message":…}}</c> (the typo is Azure's).
/// </summary>
internal static class AzureDeployments
{
    public const string NotSupportedCode = "OpperationNotSupported";

    /// <summary>Models that exist on Azure but are not speech-to-speech session models.</summary>
    private static readonly string[] NonRealtimeModels = ["gpt-realtime-whisper", "gpt-realtime-translate", "gpt-live-transcribe"];

    /// <summary>The model behind <paramref name="deployment"/>, or null with the refusal message.</summary>
    public static string? Resolve(AzureOptions options, string deployment, out string? refusal)
    {
        refusal = null;
        string model;
        if (options.Deployments.Count == 0)
        {
            model = deployment;
        }
        else if (!options.Deployments.TryGetValue(deployment, out model!))
        {
            refusal = $"The deployment '{deployment}' does not support the realtime operation (no such deployment).";
            return null;
        }
        if (NonRealtimeModels.Contains(model, StringComparer.Ordinal) || options.UnsupportedModels.Contains(model, StringComparer.Ordinal))
        {
            refusal = $"The realtime operation is not supported by the model '{model}' of deployment '{deployment}'.";
            return null;
        }
        return model;
    }

    /// <summary>Azure's error body: only <c>code</c> and <c>message</c>, unlike OpenAI's four-field error.</summary>
    public static Task WriteRefusalAsync(HttpContext context, string message) =>
        WriteErrorAsync(context, StatusCodes.Status400BadRequest, NotSupportedCode, message);

    /// <summary>Azure's two-field error body with <paramref name="status"/>.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteStartObject("error"u8);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}

using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Transport;

/// <summary>REST-style error bodies (<c>{"error":{message,type,param,code}}</c>) for failures before the upgrade.</summary>
internal static class HttpErrors
{
    public const string MissingKeyMessage =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
        "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API " +
        "from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.";

    public static RealtimeError MissingKey() => new(RealtimeError.InvalidRequest, null, MissingKeyMessage, null);

    public static RealtimeError InvalidKey(string key) => new(RealtimeError.InvalidRequest, "invalid_api_key",
        $"Incorrect API key provided: {Mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.", null);

    public static async Task WriteAsync(HttpContext context, int status, RealtimeError error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, error.Type);
        if (error.Param is null) writer.WriteNull("param"u8); else writer.WriteString("param"u8, error.Param);
        if (error.Code is null) writer.WriteNull("code"u8); else writer.WriteString("code"u8, error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static string Mask(string key) => key.Length <= 8 ? "***" : $"{key[..3]}***{key[^4..]}";
}

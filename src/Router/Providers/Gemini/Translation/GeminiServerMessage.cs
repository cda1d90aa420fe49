using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// One Gemini Live server message, its parts found in one pass over the message (and one over its serverContent), so
/// the session acts on typed parts instead of probing the JSON again. Elements point into the parsed document and are
/// valid while it lives. Absent parts are <c>default</c> (<see cref="JsonValueKind.Undefined"/>, null, false).
/// </summary>
public readonly struct GeminiServerMessage
{
    /// <summary><c>usageMetadata</c> (an object), the turn's usage so far.</summary>
    public JsonElement Usage { get; private init; }

    /// <summary>The message had a <c>serverContent</c> object (<see cref="Content"/>).</summary>
    public bool HasContent { get; private init; }

    public GeminiServerContent Content { get; private init; }

    /// <summary><c>toolCall.functionCalls</c> (an array of <c>{id, name, args}</c>).</summary>
    public JsonElement FunctionCalls { get; private init; }

    /// <summary><c>toolCallCancellation.ids</c> (an array of call ids).</summary>
    public JsonElement CancelledCallIds { get; private init; }

    /// <summary><c>sessionResumptionUpdate</c>, if the message had one.</summary>
    public GeminiResumptionUpdate? Resumption { get; private init; }

    /// <summary>The message announced the connection's end (<c>goAway</c>); <see cref="GoAwayTimeLeft"/> is its <c>timeLeft</c>.</summary>
    public bool GoAway { get; private init; }

    public string? GoAwayTimeLeft { get; private init; }

    /// <summary>Reads <paramref name="root"/>; a message that is not an object has no parts.</summary>
    public static GeminiServerMessage Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        JsonElement usage = default, functionCalls = default, cancelled = default;
        GeminiServerContent content = default;
        GeminiResumptionUpdate? resumption = null;
        var hasContent = false;
        var goAway = false;
        string? timeLeft = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("serverContent"u8))
            {
                hasContent = value.ValueKind == JsonValueKind.Object;
                content = hasContent ? GeminiServerContent.Read(value) : default;
            }
            else if (property.NameEquals("usageMetadata"u8))
            {
                usage = value.ValueKind == JsonValueKind.Object ? value : default;
            }
            else if (property.NameEquals("toolCall"u8))
            {
                functionCalls = ArrayProperty(value, "functionCalls"u8);
            }
            else if (property.NameEquals("toolCallCancellation"u8))
            {
                cancelled = ArrayProperty(value, "ids"u8);
            }
            else if (property.NameEquals("sessionResumptionUpdate"u8))
            {
                resumption = GeminiResumptionUpdate.Read(value);
            }
            else if (property.NameEquals("goAway"u8))
            {
                goAway = true;
                timeLeft = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("timeLeft"u8, out var left) && left.ValueKind == JsonValueKind.String
                    ? left.GetString()
                    : null;
            }
        }

        return new GeminiServerMessage
        {
            Usage = usage,
            HasContent = hasContent,
            Content = content,
            FunctionCalls = functionCalls,
            CancelledCallIds = cancelled,
            Resumption = resumption,
            GoAway = goAway,
            GoAwayTimeLeft = timeLeft,
        };
    }

    private static JsonElement ArrayProperty(JsonElement value, ReadOnlySpan<byte> name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array : default;
}

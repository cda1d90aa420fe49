using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// The settings one response runs with: the session's, overridden by <c>response.create.response</c>
/// for this response only (protocol §4).
/// </summary>
internal sealed class ResponseParameters
{
    public required bool OutOfBand { get; init; }
    /// <summary>What the model "sees": the conversation, or the explicit <c>input</c> list.</summary>
    public required IReadOnlyList<ConversationItem> Context { get; init; }
    public required string Instructions { get; init; }
    public required JsonArray Tools { get; init; }
    public required JsonNode ToolChoice { get; init; }
    public required string[] OutputModalities { get; init; }
    public required int? MaxOutputTokens { get; init; }
    public required AudioFormat OutputFormat { get; init; }
    public required JsonNode Voice { get; init; }
    public required double Speed { get; init; }
    public JsonNode? Metadata { get; init; }

    public bool Audio => OutputModalities.Contains("audio");

    public static ResponseParameters FromSession(SessionConfig session, ConversationState conversation) => new()
    {
        OutOfBand = false,
        Context = conversation.Items,
        Instructions = session.Instructions,
        Tools = session.Tools,
        ToolChoice = session.ToolChoice,
        OutputModalities = session.OutputModalities,
        MaxOutputTokens = session.MaxOutputTokens,
        OutputFormat = session.OutputFormat,
        Voice = session.Voice,
        Speed = session.Speed,
    };

    /// <summary>Validates <c>response.create.response</c> and merges it over the session.</summary>
    public static RealtimeError? Parse(JsonElement r, SessionConfig session, ConversationState conversation, IdGenerator ids,
        out ResponseParameters? parameters)
    {
        parameters = null;
        const string at = "response";
        if (JsonRead.Object(r, at) is { } notObject)
        {
            return notObject;
        }

        var outOfBand = false;
        IReadOnlyList<ConversationItem> context = conversation.Items;
        var instructions = session.Instructions;
        var tools = session.Tools;
        var toolChoice = session.ToolChoice;
        var modalities = session.OutputModalities;
        var maxTokens = session.MaxOutputTokens;
        var format = session.OutputFormat;
        var voice = session.Voice;
        JsonNode? metadata = null;

        foreach (var p in r.EnumerateObject())
        {
            var pat = $"{at}.{p.Name}";
            var v = p.Value;
            RealtimeError? error = null;
            switch (p.Name)
            {
                case "conversation":
                    // "auto" = the default conversation; "none" = out-of-band (no conversation items, conversation_id null).
                    error = JsonRead.Enum(v, pat, ["auto", "none"], out var conv);
                    outOfBand = conv == "none";
                    break;
                case "input":
                    error = ParseInput(v, pat, session, conversation, ids, out var input);
                    context = input;
                    break;
                case "instructions":
                    error = JsonRead.String(v, pat, out instructions);
                    break;
                case "tools":
                    error = SessionConfigParser.ParseTools(v, pat, out tools);
                    break;
                case "tool_choice":
                    error = SessionConfigParser.ParseToolChoice(v, pat, out toolChoice);
                    break;
                case "output_modalities":
                    error = SessionConfigParser.ParseModalities(v, pat, out modalities);
                    break;
                case "max_output_tokens":
                    error = SessionConfigParser.ParseMaxOutputTokens(v, pat, out maxTokens);
                    break;
                case "audio":
                    error = ParseAudio(v, pat, ref format, ref voice);
                    break;
                case "metadata":
                    error = ParseMetadata(v, pat, out metadata);
                    break;
                case "prompt":
                    error = SessionConfigParser.ParsePrompt(v, pat, out _);
                    break;
                case "reasoning":
                    error = SessionConfigParser.ParseReasoning(v, pat, out _)
                        ?? (session.AcceptsReasoning ? null : RealtimeError.UnsupportedParameter(pat, "is not supported with this model."));
                    break;
                case "parallel_tool_calls":
                    error = JsonRead.Bool(v, pat, out _);
                    break;
                default:
                    error = RealtimeError.UnknownParameter(pat);
                    break;
            }
            if (error is not null)
            {
                return error;
            }
        }

        parameters = new ResponseParameters
        {
            OutOfBand = outOfBand,
            Context = context,
            Instructions = instructions,
            Tools = tools,
            ToolChoice = toolChoice,
            OutputModalities = modalities,
            MaxOutputTokens = maxTokens,
            OutputFormat = format,
            Voice = voice,
            Speed = session.Speed,
            Metadata = metadata,
        };
        return null;
    }

    private static RealtimeError? ParseInput(JsonElement v, string at, SessionConfig session, ConversationState conversation,
        IdGenerator ids, out List<ConversationItem> items)
    {
        items = [];
        if (v.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType(at, "an array", v);
        }
        var i = 0;
        foreach (var itemEl in v.EnumerateArray())
        {
            var iat = $"{at}[{i++}]";
            if (ItemParser.Parse(itemEl, iat, session.InputFormat, ids, allowReference: true, out var item, out var reference) is { } e)
            {
                return e;
            }
            if (reference is not null)
            {
                if (!conversation.TryGet(reference, out var referenced))
                {
                    return RealtimeError.InvalidValueMessage($"{iat}.id", $"Item with id '{reference}' not found in conversation.");
                }
                items.Add(referenced);
            }
            else
            {
                items.Add(item!);
            }
        }
        return null;
    }

    private static RealtimeError? ParseAudio(JsonElement v, string at, ref AudioFormat format, ref JsonNode voice)
    {
        if ((JsonRead.Object(v, at) ?? JsonRead.OnlyKnown(v, at, "output")) is { } e)
        {
            return e;
        }
        if (!v.TryGetProperty("output", out var output))
        {
            return null;
        }
        var oat = $"{at}.output";
        if ((JsonRead.Object(output, oat) ?? JsonRead.OnlyKnown(output, oat, "format", "voice")) is { } oe)
        {
            return oe;
        }
        if (output.TryGetProperty("format", out var f))
        {
            if (SessionConfigParser.ParseFormat(f, $"{oat}.format", out var parsed) is { } fe)
            {
                return fe;
            }
            format = parsed;
        }
        if (output.TryGetProperty("voice", out var voiceEl))
        {
            if (SessionConfigParser.ParseVoice(voiceEl, $"{oat}.voice", out var parsed) is { } ve)
            {
                return ve;
            }
            voice = parsed;
        }
        return null;
    }

    private static RealtimeError? ParseMetadata(JsonElement v, string at, out JsonNode? metadata)
    {
        metadata = null;
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (JsonRead.Object(v, at) is { } e)
        {
            return e;
        }
        var count = 0;
        foreach (var p in v.EnumerateObject())
        {
            if (++count > 16)
            {
                return RealtimeError.InvalidValueMessage(at, $"Invalid '{at}': too many properties. Expected an object with at most 16 properties, but got an object with more instead.");
            }
            if (JsonRead.String(p.Value, $"{at}.{p.Name}", out var s) is { } se)
            {
                return se;
            }
            if (s.Length > 512)
            {
                return RealtimeError.StringTooLong($"{at}.{p.Name}", 512, s.Length);
            }
        }
        metadata = JsonNode.Parse(v.GetRawText());
        return null;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// The emulator's "model": a pure function of the conversation so tests can assert exact replies.
/// <list type="bullet">
/// <item>user text <c>X</c> → <c>Echo: X</c></item>
/// <item>user audio of N seconds → <c>I heard N.N seconds of audio.</c></item>
/// <item>user text <c>call &lt;tool&gt; &lt;json&gt;</c> with that function declared → a function_call</item>
/// <item>function_call_output → <c>Tool &lt;tool&gt; returned: &lt;output&gt;</c></item>
/// </list>
/// </summary>
internal static partial class DeterministicModel
{
    public const string Greeting = "How can I help you?";

    [GeneratedRegex(@"^\s*call\s+([A-Za-z0-9_-]+)\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CallCommand();

    public static ReplyPlan Plan(IReadOnlyList<ConversationItem> context, ConversationState conversation, JsonArray tools, JsonNode toolChoice)
    {
        var last = context.LastOrDefault(i => (i.IsMessage && i.Role == "user") || i.Type == "function_call_output");
        var functions = tools.OfType<JsonObject>()
            .Where(t => (string?)t["type"] == "function")
            .Select(t => (string?)t["name"])
            .OfType<string>()
            .ToList();
        var mode = toolChoice is JsonValue ? (string?)toolChoice : (string?)toolChoice["type"];
        var forced = toolChoice is JsonObject ? (string?)toolChoice["name"] : null;

        if (last is { Type: "function_call_output" })
        {
            var call = context.FirstOrDefault(i => i.Type == "function_call" && i.CallId == last.CallId)
                ?? conversation.FindFunctionCall(last.CallId!);
            return new SpeakPlan($"Tool {call?.Name ?? "unknown"} returned: {last.Output}");
        }

        string? text = null;
        if (last is not null)
        {
            var texts = last.Content.Where(p => p.Type == "input_text").Select(p => p.Text ?? "").ToList();
            var audio = last.Content.Where(p => p.Type == "input_audio").ToList();
            if (texts.Count > 0)
            {
                text = string.Join(" ", texts);
            }
            else if (audio.Any(p => p.Audio is not null))
            {
                var seconds = audio.Sum(p => p.Audio?.DurationMs ?? 0) / 1000.0;
                return new SpeakPlan($"I heard {FormatSeconds(seconds)} seconds of audio.");
            }
            else if (audio.FirstOrDefault(p => p.Transcript is not null) is { } transcribed)
            {
                text = transcribed.Transcript;
            }
        }

        if (functions.Count > 0 && mode != "none" && text is not null && CallCommand().Match(text) is { Success: true } m
            && functions.Contains(m.Groups[1].Value) && (forced is null || forced == m.Groups[1].Value))
        {
            var args = m.Groups[2].Value.Trim();
            return new ToolCallPlan(m.Groups[1].Value, args.Length == 0 ? "{}" : args);
        }
        if (functions.Count > 0 && (mode == "required" || (mode == "function" && forced is not null)))
        {
            var name = forced ?? functions[0];
            if (functions.Contains(name))
            {
                return new ToolCallPlan(name, "{}");
            }
        }
        return new SpeakPlan(text is null ? Greeting : $"Echo: {text}");
    }

    public static string FormatSeconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
}

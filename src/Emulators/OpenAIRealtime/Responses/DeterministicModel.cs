using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VoicePlatform.Emulators.DemoToolCalls;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// The emulator's "model": a pure function of the conversation so tests can assert exact replies.
/// <list type="bullet">
/// <item>user text <c>X</c> → <c>Echo: X</c></item>
/// <item>user audio of N seconds → <c>I heard N.N seconds of audio.</c></item>
/// <item>user text <c>call &lt;tool&gt; &lt;json&gt;</c> with that function declared → a function_call</item>
/// <item>user text <c>call a {…} ; call b {…}</c> with every function declared → parallel function_calls</item>
/// <item>function_call_output → <c>Tool &lt;tool&gt; returned: &lt;output&gt;</c>; several outputs after the same
/// turn → those sentences joined with <c>"; "</c>, in call order</item>
/// <item>demo (with <c>DemoToolCalls</c> on and <c>tool_choice</c> auto): user text naming a declared function
/// ("what's the weather in Paris" with <c>get_weather</c>) → a function_call (<see cref="DemoToolMatcher"/>)</item>
/// </list>
/// </summary>
internal static partial class DeterministicModel
{
    public const string Greeting = "How can I help you?";

    /// <summary>Separates the commands of a parallel call: <c>call a {…} ; call b {…}</c>.</summary>
    public const string ParallelSeparator = " ; ";

    [GeneratedRegex(@"^\s*call\s+([A-Za-z0-9_-]+)\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CallCommand();

    /// <summary>Demo call arguments as a client would write them: "Zürich", not "Z\u00FCrich".</summary>
    private static readonly JsonSerializerOptions ArgumentsJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ReplyPlan Plan(IReadOnlyList<ConversationItem> context, ConversationState conversation, JsonArray tools, JsonNode toolChoice,
        bool demoToolCalls = false)
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
            return new SpeakPlan(ToolResults(context, conversation));
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

        if (functions.Count > 0 && mode != "none" && text is not null)
        {
            // Several commands, every one a call of a declared function: parallel calls. Otherwise the whole text
            // is one command (so " ; " inside one call's arguments keeps its old meaning).
            var parts = text.Split(ParallelSeparator);
            if (parts.Length > 1)
            {
                var calls = parts.Select(p => ParseCall(p, functions, forced)).ToList();
                if (calls.All(c => c is not null))
                {
                    return new ParallelToolCallsPlan([.. calls.OfType<ToolCallPlan>()]);
                }
            }
            if (ParseCall(text, functions, forced) is { } single)
            {
                return single;
            }
        }
        if (demoToolCalls && functions.Count > 0 && (mode is null or "auto") && text is not null
            && DemoToolMatcher.Match(text, DemoTools(tools)) is { } demo)
        {
            return new ToolCallPlan(demo.Name, demo.Arguments.ToJsonString(ArgumentsJson));
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

    private static IEnumerable<DemoTool> DemoTools(JsonArray tools) => tools.OfType<JsonObject>()
        .Where(t => (string?)t["type"] == "function" && t["name"] is JsonValue)
        .Select(t => new DemoTool(
            (string)t["name"]!,
            t["description"] is JsonValue description && description.TryGetValue<string>(out var text) ? text : null,
            t["parameters"] is JsonObject parameters ? JsonSerializer.SerializeToElement(parameters) : null));

    private static ToolCallPlan? ParseCall(string command, List<string> functions, string? forced)
    {
        if (CallCommand().Match(command) is not { Success: true } m || !functions.Contains(m.Groups[1].Value)
            || (forced is not null && forced != m.Groups[1].Value))
        {
            return null;
        }
        var args = m.Groups[2].Value.Trim();
        return new ToolCallPlan(m.Groups[1].Value, args.Length == 0 ? "{}" : args);
    }

    /// <summary>
    /// The reply to tool outputs: every function_call_output since the last message (the outputs of one round of
    /// calls), ordered as their calls were, each as <c>Tool &lt;tool&gt; returned: &lt;output&gt;</c>, joined by "; ".
    /// </summary>
    private static string ToolResults(IReadOnlyList<ConversationItem> context, ConversationState conversation)
    {
        var outputs = new List<ConversationItem>();
        for (var i = context.Count - 1; i >= 0 && !context[i].IsMessage; i--)
        {
            if (context[i].Type == "function_call_output")
            {
                outputs.Add(context[i]);
            }
        }
        outputs.Reverse();
        var results = outputs
            .Select((output, index) =>
            {
                var callIndex = IndexOfCall(context, output.CallId);
                var call = callIndex >= 0 ? context[callIndex] : conversation.FindFunctionCall(output.CallId!);
                return (Order: callIndex >= 0 ? callIndex : int.MaxValue, index, Text: $"Tool {call?.Name ?? "unknown"} returned: {output.Output}");
            })
            .OrderBy(r => r.Order)
            .ThenBy(r => r.index)
            .Select(r => r.Text);
        return string.Join("; ", results);
    }

    private static int IndexOfCall(IReadOnlyList<ConversationItem> context, string? callId)
    {
        for (var i = 0; i < context.Count; i++)
        {
            if (context[i].Type == "function_call" && context[i].CallId == callId)
            {
                return i;
            }
        }
        return -1;
    }

    public static string FormatSeconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);
}

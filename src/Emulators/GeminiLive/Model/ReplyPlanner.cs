using System.Globalization;
using System.Text.Json;
using VoicePlatform.Emulators.DemoToolCalls;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>
/// The emulator's "model": fully deterministic replies so tests can assert exact content.
/// <list type="bullet">
/// <item><c>X</c> → <c>Echo: X</c></item>
/// <item>audio of N seconds → <c>I heard N.N seconds of audio.</c></item>
/// <item><c>call &lt;tool&gt; &lt;json-args&gt;</c> with a declared function → toolCall</item>
/// <item><c>call a {…} ; call b {…}</c>, every function declared → one toolCall with both (parallel calls)</item>
/// <item><c>recall</c> → <c>Earlier you said: &lt;previous user message&gt;</c> (proves restored context)</item>
/// <item><c>history</c> → <c>History has N turns.</c> (turns in context before this request)</item>
/// <item>demo (with <c>DemoToolCalls</c> on): text naming a declared function ("what's the weather in Paris" with
/// <c>get_weather</c>) → toolCall (<see cref="DemoToolMatcher"/>)</item>
/// </list>
/// </summary>
internal static class ReplyPlanner
{
    /// <summary>Separates the commands of a parallel call: <c>call a {…} ; call b {…}</c>.</summary>
    public const string ParallelSeparator = " ; ";

    /// <summary>Joins the replies to several tool results of one turn, in call order.</summary>
    public const string ResultSeparator = "; ";

    public static ReplyPlan ForUserTurn(ConversationTurn userTurn, Conversation conversation, SessionSetup setup, bool demoToolCalls = false)
    {
        if (userTurn.Text.Length == 0)
        {
            return new SpeakPlan(ForAudio(userTurn.AudioSeconds));
        }

        var text = userTurn.Text.Trim();
        if (TryParseParallelCalls(text, setup) is { } parallel)
        {
            return parallel;
        }

        if (TryParseCall(text, setup, out var call))
        {
            return call;
        }

        if (text.Equals("recall", StringComparison.OrdinalIgnoreCase))
        {
            var earlier = conversation.LastUserMessage(skipLast: 1);
            return new SpeakPlan(earlier is null ? "Nothing was said earlier." : $"Earlier you said: {earlier.Display}");
        }

        if (text.Equals("history", StringComparison.OrdinalIgnoreCase))
        {
            var count = conversation.Turns.Count - 1;
            return new SpeakPlan(string.Create(CultureInfo.InvariantCulture, $"History has {count} turns."));
        }

        if (demoToolCalls && setup.Functions.Count > 0
            && DemoToolMatcher.Match(text, setup.Functions.Values.Select(f => new DemoTool(f.Name, f.Description, f.Parameters))) is { } demo
            && setup.Functions.TryGetValue(demo.Name, out var declaration))
        {
            return new ToolCallPlan(demo.Name, JsonSerializer.SerializeToElement(demo.Arguments), declaration.NonBlocking);
        }

        return new SpeakPlan($"Echo: {userTurn.Text}");
    }

    public static string ForAudio(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"I heard {seconds:0.0} seconds of audio.");

    public static string ForToolResult(string name, JsonElement response)
    {
        if (response.ValueKind == JsonValueKind.Object)
        {
            if (response.TryGetProperty("output", out var output))
            {
                return $"Tool {name} returned: {Render(output)}";
            }

            if (response.TryGetProperty("error", out var error))
            {
                return $"Tool {name} failed: {Render(error)}";
            }
        }

        // Without output/error keys the whole object counts as output.
        return $"Tool {name} returned: {Render(response)}";
    }

    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Undefined => "{}",
        _ => value.GetRawText(),
    };

    /// <summary>Several commands, every one a call of a declared function; otherwise null (the text is one command).</summary>
    private static ParallelToolCallsPlan? TryParseParallelCalls(string text, SessionSetup setup)
    {
        var parts = text.Split(ParallelSeparator);
        if (parts.Length < 2)
        {
            return null;
        }

        var calls = new List<ToolCallPlan>(parts.Length);
        foreach (var part in parts)
        {
            if (!TryParseCall(part.Trim(), setup, out var call))
            {
                return null;
            }

            calls.Add(call);
        }

        return new ParallelToolCallsPlan(calls);
    }

    private static bool TryParseCall(string text, SessionSetup setup, out ToolCallPlan plan)
    {
        plan = null!;
        if (!text.StartsWith("call ", StringComparison.Ordinal) || setup.Functions.Count == 0)
        {
            return false;
        }

        var rest = text[5..].TrimStart();
        var space = rest.IndexOf(' ');
        var name = space < 0 ? rest : rest[..space];
        if (!setup.Functions.TryGetValue(name, out var declaration))
        {
            return false;
        }

        var argsText = space < 0 ? "{}" : rest[(space + 1)..].Trim();
        try
        {
            using var document = JsonDocument.Parse(argsText.Length == 0 ? "{}" : argsText);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            plan = new ToolCallPlan(name, document.RootElement.Clone(), declaration.NonBlocking);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

/// <summary>Gemini 3.8 models, setups, and driving the emulator's FakeTimeProvider while reading frames.</summary>
internal static class Live38
{
    public const string Model = "models/gemini-3.8-live";
    public const string ExtendedThinkingModel = "models/gemini-3.8-live-extended-thinking";

    /// <summary><c>lookup</c> without a behaviour: NON_BLOCKING by default on 3.8.</summary>
    public const string LookupTools = """[{"functionDeclarations":[{"name":"lookup","description":"Looks a thing up"}]}]""";

    /// <param name="extra">More setup fields, with <c>'</c> for <c>"</c> so they read well in attributes.</param>
    public static string Setup(string model = Model, string extra = "") =>
        $$"""{"model":"{{model}}"{{(extra.Length > 0 ? "," + extra.Replace('\'', '"') : string.Empty)}}}""";

    public static string? InteractionStatus(JsonElement json) =>
        json.TryGetProperty("serverContent", out var content) && content.TryGetProperty("interactionStatus", out var status)
            ? status.GetString()
            : null;

    public static string ToolResponse(string id, string scheduling) =>
        $$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"lookup","response":{"output":"42"},"scheduling":"{{{scheduling}}}"}]}}""";

    public static string CallId(IEnumerable<Frame> frames) =>
        frames.Single(f => f.Json.Has("toolCall")).Json.GetProperty("toolCall").GetProperty("functionCalls")[0].GetProperty("id").GetString()!;

    /// <summary>
    /// 20 ms of silence: no turn for the VAD, but it wakes the connection's loop, which then looks at the clock again
    /// (its own timer may have been armed just before the test advanced the clock).
    /// </summary>
    public static Task WakeAsync(LiveClient client) => client.SendAudioChunkAsync(new byte[640]);

    /// <summary>Advances the clock a step at a time (paced output moves one chunk per step) until a frame matches.</summary>
    public static async Task<List<Frame>> RunClockUntilAsync(LiveClient client, FakeTimeProvider time, Func<JsonElement, bool> predicate, TimeSpan? step = null)
    {
        var frames = new List<Frame>();
        for (var i = 0; i < 400; i++)
        {
            time.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await WakeAsync(client);
            while (true)
            {
                Frame? frame;
                try
                {
                    frame = await client.ReceiveAsync(TimeSpan.FromMilliseconds(40));
                }
                catch (TimeoutException)
                {
                    break;
                }

                if (frame is null)
                {
                    throw new InvalidOperationException($"Closed ({client.CloseCode} {client.CloseReason}) before a matching frame.");
                }

                frames.Add(frame);
                if (predicate(frame.Json))
                {
                    return frames;
                }
            }
        }

        throw new TimeoutException("No matching frame. Got: " + string.Join("\n", frames.Select(f => f.Short)));
    }

    /// <summary>Index of the first frame that matches, or -1.</summary>
    public static int IndexOf(IReadOnlyList<Frame> frames, Func<JsonElement, bool> predicate)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            if (predicate(frames[i].Json))
            {
                return i;
            }
        }

        return -1;
    }

    public static bool HasAudio(JsonElement json) =>
        json.TryGetProperty("serverContent", out var content) && content.TryGetProperty("modelTurn", out _);
}

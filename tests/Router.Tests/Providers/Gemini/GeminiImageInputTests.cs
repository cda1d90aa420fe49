using System.Text;
using System.Text.Json;
using VoicePlatform.Contracts.Json;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Sessions;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// input_image parts of user messages (openai-realtime-2026-additions.md §3) delivered to Gemini Live as
/// realtimeInput.video frames (gemini-live-3.8-and-vertex.md §3.5), against the emulator on gemini-3.8-live. The
/// emulator counts each frame as video tokens of the next user turn, which the response's usage reports as image tokens.
/// </summary>
public class GeminiImageInputTests(ITestOutputHelper output)
{
    private const int TokensPerFrame = 300;

    private static readonly CatalogModel Live38 = new() { Id = "gemini-3.8-live", Provider = "google", UpstreamModel = "gemini-3.8-live" };

    // PNG and JPEG signatures followed by a few bytes; the base64 has '+' and '/' so a pass-through is visible.
    private static readonly string Png = "data:image/png;base64," + Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFB, 0xEF, 0xFF, 0x3E]);
    private static readonly string Jpeg = "data:image/jpeg;base64," + Convert.ToBase64String([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46]);

    [Fact]
    public async Task Each_image_reaches_Gemini_as_a_video_frame_and_the_turn_is_answered()
    {
        await using var s = await Live38Session.StartAsync(output, [$"GeminiEmulator:VideoTokensPerFrame={TokensPerFrame}"]);
        await s.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } } });
        await s.Sink.WaitForAsync("session.updated");

        var start = s.Sink.Events.Count;
        await s.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new object[] { new { type = "input_image", image_url = Png }, new { type = "input_image", image_url = Jpeg, detail = "low" } } },
        });
        await s.Sink.WaitForAsync("conversation.item.done", start);
        await s.SendAudioAsync(TestAudio.Speech(2.0, 24000));
        await s.SendAsync(new { type = "input_audio_buffer.commit" });
        await s.Sink.WaitForAsync("input_audio_buffer.committed", start);
        await s.SendAsync(new { type = "response.create" });

        var done = await s.Sink.WaitForAsync("response.done", start);
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("I heard 2.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(done));
        var details = done.Get("response", "usage", "input_token_details")!.Value;
        Assert.Equal(2 * TokensPerFrame, details.GetProperty("image_tokens").GetInt32());
        Assert.True(details.GetProperty("audio_tokens").GetInt32() > 0);
        Assert.DoesNotContain(s.Sink.Events.Skip(start), e => e.Type == "error");
    }

    [Fact]
    public async Task The_echo_shows_each_image_part_without_its_data_in_the_SDK_shape()
    {
        await using var s = await Live38Session.StartAsync(output);
        // 1 MiB of image: its data URI alone would be ~1.4 MB of every added/done event.
        var large = "data:image/png;base64," + Convert.ToBase64String(new byte[1024 * 1024]);
        await s.SendAsync(PictureItem(large, "low"));

        var added = await s.Sink.WaitForAsync("conversation.item.added");
        var done = await s.Sink.WaitForAsync("conversation.item.done", added.Index);
        foreach (var e in new[] { added, done })
        {
            Assert.True(e.Json.GetRawText().Length < 1024, $"{e.Type} is {e.Json.GetRawText().Length} characters");
            var item = e.Get("item")!.Value;
            Assert.Equal(["id", "type", "status", "role", "content", "object"], item.EnumerateObject().Select(p => p.Name));
            Assert.Equal("realtime.item", item.GetProperty("object").GetString());
            var content = item.GetProperty("content");
            Assert.Equal("""{"type":"input_text","text":"What is this?"}""", content[0].GetRawText());
            // The SDK's content part: image_url and detail are optional; an image's bytes are not echoed (as audio's are not).
            Assert.Equal("""{"type":"input_image","detail":"low"}""", content[1].GetRawText());
            Assert.Equal("""{"type":"input_image","detail":"auto"}""", content[2].GetRawText());
        }

        await s.SendAsync(new { type = "conversation.item.retrieve", item_id = "item_picture" });
        var retrieved = await s.Sink.WaitForAsync("conversation.item.retrieved", done.Index);
        Assert.Equal("""{"type":"input_image"}""", retrieved.Get("item", "content")!.Value[1].GetRawText());
    }

    [Fact]
    public async Task With_EchoImageUrl_the_item_appears_in_the_conversation_with_its_content_as_sent()
    {
        await using var s = await Live38Session.StartAsync(output, connectorSettings: new() { ["Providers:Gemini:Images:EchoImageUrl"] = "true" });
        await s.SendAsync(PictureItem(Png, "high"));

        var added = await s.Sink.WaitForAsync("conversation.item.added");
        var done = await s.Sink.WaitForAsync("conversation.item.done", added.Index);
        foreach (var e in new[] { added, done })
        {
            Assert.Equal("item_picture", e.Str("item", "id"));
            Assert.Equal("user", e.Str("item", "role"));
            Assert.Equal("completed", e.Str("item", "status"));
            Assert.Equal(JsonValueKind.Null, e.Get("previous_item_id")!.Value.ValueKind);
            var content = e.Get("item", "content")!.Value;
            Assert.Equal(3, content.GetArrayLength());
            Assert.Equal("""{"type":"input_text","text":"What is this?"}""", content[0].GetRawText());
            Assert.Equal("input_image", content[1].GetProperty("type").GetString());
            Assert.Equal(Png, content[1].GetProperty("image_url").GetString());
            Assert.Equal("high", content[1].GetProperty("detail").GetString());
            Assert.Equal(Jpeg, content[2].GetProperty("image_url").GetString());
            Assert.Equal("auto", content[2].GetProperty("detail").GetString());
        }

        // The next item follows it in the conversation.
        await s.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "next" } } } });
        var next = await s.Sink.WaitForAsync("conversation.item.added", done.Index);
        Assert.Equal("item_picture", next.Str("previous_item_id"));
    }

    /// <summary>Item <c>item_picture</c>: a question, <paramref name="image"/> with <paramref name="detail"/>, and the JPEG without one.</summary>
    private static object PictureItem(string image, string detail) => new
    {
        type = "conversation.item.create",
        item = new
        {
            id = "item_picture",
            type = "message",
            role = "user",
            content = new object[] { new { type = "input_text", text = "What is this?" }, new { type = "input_image", image_url = image, detail }, new { type = "input_image", image_url = Jpeg } },
        },
    };

    public static TheoryData<string, string, string> InvalidImages => new()
    {
        { "https://example.com/cat.png", "item.content[1].image_url", "invalid_value" },
        { "data:image/gif;base64,R0lGODlhAQABAAAAACw=", "item.content[1].image_url", "invalid_value" },
        { "data:image/webp;base64,UklGRhYAAABXRUJQ", "item.content[1].image_url", "invalid_value" },
        { "data:image/png,not-base64-encoded", "item.content[1].image_url", "invalid_value" },
        { "data:image/png;base64,iVBO%%%not*base64", "item.content[1].image_url", "invalid_value" },
        { "data:image/jpeg;base64,/9j/4A=", "item.content[1].image_url", "invalid_value" },
        { "data:image/png;base64,", "item.content[1].image_url", "invalid_value" },
        { "too-large", "item.content[1].image_url", "invalid_value" },
        { "missing", "item.content[1].image_url", "missing_required_parameter" },
        { "bad-detail", "item.content[1].detail", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(InvalidImages))]
    public async Task An_invalid_image_is_an_error_naming_the_part_and_adds_no_item(string image, string param, string code)
    {
        await using var s = await Live38Session.StartAsync(output);
        object part = image switch
        {
            "missing" => new { type = "input_image" },
            "bad-detail" => new { type = "input_image", image_url = Png, detail = "medium" },
            // One byte over 10 MiB once decoded.
            "too-large" => new { type = "input_image", image_url = "data:image/png;base64," + Convert.ToBase64String(new byte[10 * 1024 * 1024 + 1]) },
            _ => new { type = "input_image", image_url = image },
        };
        await s.SendAsync(new
        {
            type = "conversation.item.create",
            event_id = "evt_image",
            item = new { id = "item_bad", type = "message", role = "user", content = new[] { new { type = "input_text", text = "look" }, part } },
        });

        var error = await s.Sink.WaitForAsync("error");
        Assert.Equal("invalid_request_error", error.Str("error", "type"));
        Assert.Equal(code, error.Str("error", "code"));
        Assert.Equal(param, error.Str("error", "param"));
        Assert.Equal("evt_image", error.Str("error", "event_id"));

        // The session goes on, and the refused item was never added: the same id is free for a valid one.
        await s.SendAsync(new { type = "conversation.item.create", item = new { id = "item_bad", type = "message", role = "user", content = new[] { new { type = "input_image", image_url = Png } } } });
        var added = await s.Sink.WaitForAsync("conversation.item.added", error.Index);
        Assert.Equal("item_bad", added.Str("item", "id"));
        Assert.Single(s.Sink.Events, e => e.Type == "conversation.item.added");
        Assert.Single(s.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task An_image_in_an_assistant_message_is_refused_as_OpenAI_refuses_it()
    {
        await using var s = await Live38Session.StartAsync(output);
        await s.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "assistant", content = new[] { new { type = "input_image", image_url = Png } } },
        });

        var error = await s.Sink.WaitForAsync("error");
        Assert.Equal("invalid_value", error.Str("error", "code"));
        Assert.Equal("item.content[0].type", error.Str("error", "param"));
        Assert.DoesNotContain(s.Sink.Events, e => e.Type == "conversation.item.added");
    }

    [Fact]
    public async Task Other_parts_of_an_image_item_are_checked_with_their_own_indexes()
    {
        await using var s = await Live38Session.StartAsync(output);
        await s.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new object[] { new { type = "input_image", image_url = Png }, new { type = "input_text", text = 5 } } },
        });

        var error = await s.Sink.WaitForAsync("error");
        Assert.Equal("item.content[1].text", error.Str("error", "param"));
        Assert.DoesNotContain(s.Sink.Events, e => e.Type == "conversation.item.added");
    }

    [Fact]
    public void A_frame_is_realtimeInput_video_with_the_base64_as_sent()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            GeminiClientMessages.Video(w, "image/png", "iVBO+/8=");
            w.WriteEndObject();
        }

        Assert.Equal("""{"realtimeInput":{"video":{"mimeType":"image/png","data":"iVBO+/8="}}}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_frame_after_the_handle_is_replayed_on_a_resumed_connection(bool serverVad)
    {
        const string frame = """{"realtimeInput":{"video":{"mimeType":"image/png","data":"iVBO+/8="}}}""";
        var replay = new TransparentReplay(limit: 10);
        replay.Remember(Encoding.UTF8.GetBytes(frame), 4);

        Assert.Equal([frame], replay.Take(serverVad).Select(Encoding.UTF8.GetString));
    }

    /// <summary>A connector session on gemini-3.8-live (the harness's own session runs the 3.1 model).</summary>
    private sealed class Live38Session : IAsyncDisposable
    {
        private GeminiHarness _harness = null!;
        private IProviderSession _session = null!;

        public RecordingSink Sink { get; } = new();

        public static async Task<Live38Session> StartAsync(ITestOutputHelper output, string[]? emulatorSettings = null, Dictionary<string, string?>? connectorSettings = null)
        {
            var s = new Live38Session { _harness = await GeminiHarness.CreateAsync(output, emulatorSettings, connectorSettings) };
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                var context = new ProviderSessionContext(s._harness.SessionId, "tenant_test", Live38.Id, Live38) { Checkpoints = new RecordingCheckpoints(), Time = s._harness.Time };
                s._session = await s._harness.Connector.ConnectAsync(context, s.Sink, cts.Token);
                return s;
            }
            catch
            {
                await s._harness.DisposeAsync();
                throw;
            }
        }

        public ValueTask SendAsync(object clientEvent) =>
            _session.SendEventAsync(0, JsonSerializer.SerializeToUtf8Bytes(clientEvent), CancellationToken.None);

        public async Task SendAudioAsync(byte[] pcm)
        {
            const int chunk = 24000 * 2 / 10;
            for (var offset = 0; offset < pcm.Length; offset += chunk)
            {
                await _session.SendAudioAsync(0, pcm.AsMemory(offset, Math.Min(chunk, pcm.Length - offset)), 24000, null, CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_session is not null)
            {
                await _session.DisposeAsync();
            }

            await _harness.DisposeAsync();
        }
    }
}

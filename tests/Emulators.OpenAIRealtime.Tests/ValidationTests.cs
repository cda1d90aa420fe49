using VoicePlatform.TestSupport.Realtime;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>Every documented validation error: code, dotted param, the client's event_id, and the session survives.</summary>
public sealed class ValidationTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    public static TheoryData<string, string, string?> Cases => new()
    {
        // session.update
        { """{"type":"session.update"}""", "missing_required_parameter", "session" },
        { """{"type":"session.update","session":{"instructions":"x"}}""", "missing_required_parameter", "session.type" },
        { """{"type":"session.update","session":{"type":"realtime","voice":"alloy"}}""", "unknown_parameter", "session.voice" },
        { """{"type":"session.update","session":{"type":"realtime","temperature":0.8}}""", "unknown_parameter", "session.temperature" },
        { """{"type":"session.update","session":{"type":"realtime","input_audio_format":"pcm16"}}""", "unknown_parameter", "session.input_audio_format" },
        { """{"type":"session.update","session":{"type":"realtime","modalities":["text"]}}""", "unknown_parameter", "session.modalities" },
        { """{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"f","meta":1}]}}""", "unknown_parameter", "session.tools[0].meta" },
        { """{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","description":"d"}]}}""", "missing_required_parameter", "session.tools[0].name" },
        { "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"description\":\"" + new string('d', 1025) + "\"}]}}", "string_above_max_length", "session.tools[0].description" },
        { """{"type":"session.update","session":{"type":"realtime","output_modalities":["audio","text"]}}""", "invalid_value", "session.output_modalities" },
        { """{"type":"session.update","session":{"type":"realtime","instructions":5}}""", "invalid_type", "session.instructions" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/wav"}}}}}""", "invalid_value", "session.audio.input.format.type" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"format":{"type":"audio/pcm","rate":16000}}}}}""", "invalid_value", "session.audio.input.format.rate" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"output":{"speed":2.0}}}}""", "decimal_above_max_value", "session.audio.output.speed" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"output":{"voice":"bob"}}}}""", "invalid_value", "session.audio.output.voice" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","threshold":"high"}}}}}""", "invalid_type", "session.audio.input.turn_detection.threshold" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"semantic_vad","silence_duration_ms":300}}}}}""", "unknown_parameter", "session.audio.input.turn_detection.silence_duration_ms" },
        { """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"transcription":{"model":"whisper-2"}}}}}""", "invalid_value", "session.audio.input.transcription.model" },
        { """{"type":"session.update","session":{"type":"realtime","max_output_tokens":5000}}""", "integer_above_max_value", "session.max_output_tokens" },
        { """{"type":"session.update","session":{"type":"realtime","tool_choice":"sometimes"}}""", "invalid_value", "session.tool_choice" },
        { """{"type":"session.update","session":{"type":"realtime","reasoning":{"effort":"low"}}}""", "unsupported_parameter", "session.reasoning" },
        // event envelope
        { """{"type":"no.such.event"}""", "invalid_value", "type" },
        { """{"event_id":"e"}""", "missing_required_parameter", "type" },
        { """{"type":"response.cancel","extra":1}""", "unknown_parameter", "extra" },
        { """not json""", "invalid_json", null },
        // audio buffer
        { """{"type":"input_audio_buffer.append"}""", "missing_required_parameter", "audio" },
        { """{"type":"input_audio_buffer.append","audio":"***"}""", "invalid_value", "audio" },
        { """{"type":"input_audio_buffer.commit"}""", "input_audio_buffer_commit_empty", null },
        // items
        { """{"type":"conversation.item.create"}""", "missing_required_parameter", "item" },
        { """{"type":"conversation.item.create","item":{"type":"message","role":"assistant","content":[{"type":"text","text":"beta"}]}}""", "invalid_value", "item.content[0].type" },
        { """{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text"}]}}""", "missing_required_parameter", "item.content[0].text" },
        { """{"type":"conversation.item.create","item":{"type":"message","role":"assistant","content":[{"type":"output_audio","transcript":"hi"}]}}""", "missing_required_parameter", "item.content[0].text" },
        { """{"type":"conversation.item.create","previous_item_id":"item_missing","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"x"}]}}""", "invalid_value", "previous_item_id" },
        { """{"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"call_missing","output":"x"}}""", "invalid_value", "item.call_id" },
        { """{"type":"conversation.item.delete","item_id":"item_missing"}""", "item_delete_invalid_item_id", "item_id" },
        { """{"type":"conversation.item.retrieve","item_id":"item_missing"}""", "item_retrieve_invalid_item_id", "item_id" },
        { """{"type":"conversation.item.truncate","item_id":"item_missing","content_index":0,"audio_end_ms":10}""", "item_truncate_invalid_item_id", "item_id" },
        { """{"type":"conversation.item.truncate","item_id":"item_missing","content_index":0}""", "missing_required_parameter", "audio_end_ms" },
        // responses
        { """{"type":"response.cancel"}""", "response_cancel_not_active", null },
        { """{"type":"response.create","response":{"modalities":["text"]}}""", "unknown_parameter", "response.modalities" },
        { """{"type":"response.create","response":{"conversation":"other"}}""", "invalid_value", "response.conversation" },
        { """{"type":"response.create","response":{"input":[{"type":"item_reference","id":"item_missing"}]}}""", "invalid_value", "response.input[0].id" },
        { """{"type":"output_audio_buffer.clear"}""", "invalid_value", "type" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Invalid_client_event_gives_the_documented_error_and_the_session_continues(string json, string code, string? param)
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        var withId = json.StartsWith("{\"type\"", StringComparison.Ordinal) ? "{\"event_id\":\"client_evt_42\"," + json[1..] : json;
        await client.SendRawAsync(withId);

        var error = await client.ExpectAsync("error");
        Assert.StartsWith("event_", error.Str("event_id"));
        var body = error.GetProperty("error");
        Assert.Equal(code, body.Str("code"));
        Assert.Equal("invalid_request_error", body.Str("type"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("message")));
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, body.Str("param"));
        }
        if (!ReferenceEquals(withId, json))
        {
            Assert.Equal("client_evt_42", body.Str("event_id"));
        }

        // Not fatal: no session.updated for the bad update, and the session still answers.
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "still here" } });
        var updated = await client.ExpectAsync("session.updated");
        Assert.Equal("still here", updated.GetProperty("session").Str("instructions"));
    }

    [Fact]
    public async Task Session_update_is_a_partial_merge_answered_with_the_full_session()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(emulator.Host);
        var created = (await client.ExpectAsync("session.created")).GetProperty("session");
        await client.SendAsync(new { type = "session.update", event_id = "mine", session = new { type = "realtime", instructions = "Be brief.", audio = new { output = new { speed = 1.2 } } } });
        var updated = await client.ExpectAsync("session.updated");
        Assert.NotEqual("mine", updated.Str("event_id"));
        var session = updated.GetProperty("session");
        Assert.Equal("Be brief.", session.Str("instructions"));
        Assert.Equal(1.2, session.GetProperty("audio").GetProperty("output").GetProperty("speed").GetDouble());
        // Untouched fields keep their values, and the shape is the full session.
        Assert.Equal(created.Str("id"), session.Str("id"));
        Assert.Equal("alloy", session.GetProperty("audio").GetProperty("output").Str("voice"));
        Assert.Equal("server_vad", session.GetProperty("audio").GetProperty("input").GetProperty("turn_detection").Str("type"));
        Assert.Equal(
            created.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
            session.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Session_created_carries_the_observed_ga_defaults()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(emulator.Host, model: "gpt-realtime-mini");
        var first = await client.NextAsync();
        Assert.Equal("session.created", first.Type());
        var s = first.GetProperty("session");
        Assert.Equal("realtime", s.Str("type"));
        Assert.Equal("realtime.session", s.Str("object"));
        Assert.StartsWith("sess_", s.Str("id"));
        Assert.Equal("gpt-realtime-mini", s.Str("model"));
        Assert.Equal(["audio"], s.GetProperty("output_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("Your knowledge cutoff is", s.Str("instructions"));
        Assert.Equal("auto", s.Str("tool_choice"));
        Assert.Equal("inf", s.Str("max_output_tokens"));
        Assert.Equal("auto", s.Str("truncation"));
        var expires = s.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(expires, 3590, 3601);
        var input = s.GetProperty("audio").GetProperty("input");
        Assert.Equal("audio/pcm", input.GetProperty("format").Str("type"));
        Assert.Equal(24000, input.GetProperty("format").GetProperty("rate").GetInt32());
        Assert.Equal(JsonValueKind.Null, input.GetProperty("transcription").ValueKind);
        Assert.Equal(JsonValueKind.Null, input.GetProperty("noise_reduction").ValueKind);
        var td = input.GetProperty("turn_detection");
        Assert.Equal("server_vad", td.Str("type"));
        Assert.Equal(0.5, td.GetProperty("threshold").GetDouble());
        Assert.Equal(300, td.GetProperty("prefix_padding_ms").GetInt32());
        Assert.Equal(200, td.GetProperty("silence_duration_ms").GetInt32());
        Assert.Equal(JsonValueKind.Null, td.GetProperty("idle_timeout_ms").ValueKind);
        Assert.True(td.GetProperty("create_response").GetBoolean());
        Assert.True(td.GetProperty("interrupt_response").GetBoolean());
        var output = s.GetProperty("audio").GetProperty("output");
        Assert.Equal("alloy", output.Str("voice"));
        Assert.Equal(1.0, output.GetProperty("speed").GetDouble());
    }
}

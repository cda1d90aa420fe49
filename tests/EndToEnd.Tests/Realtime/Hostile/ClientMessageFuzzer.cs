using System.Text;
using System.Text.Json.Nodes;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Hostile;

/// <summary>
/// Seeded generator of hostile client messages: events built from the GA client-event grammar (every type, valid and
/// with wrong types, missing and unknown fields), then byte-level mutations — duplicate keys, unpaired surrogate
/// escapes, byte-order marks, deep nesting, huge strings, invalid base64, odd-length and empty audio, binary frames,
/// truncation, non-objects and oversized messages. The same seed gives the same messages. Valid audio is silence and
/// valid events never ask for a response, so the session's state stays checkable afterwards.
/// </summary>
public sealed class ClientMessageFuzzer(int seed, int maxMessageBytes)
{
    /// <summary>Every class the generator knows; <see cref="Next(string)"/> makes one of a given class.</summary>
    public static readonly string[] Classes =
    [
        "valid", "wrong_type", "missing_field", "unknown_type", "unknown_field", "duplicate_key", "surrogate", "bom",
        "deep_nesting", "huge_string", "invalid_base64", "odd_length_audio", "empty_audio", "binary_frame", "binary_garbage",
        "truncated", "not_object", "oversized",
    ];

    // Oversized messages cost real bandwidth: the stream has one per this many messages.
    private const int OversizedEvery = 1000;

    private readonly Random _random = new(seed);
    private int _count;

    public int Seed => seed;

    /// <summary>The next message of the stream (classes weighted; an oversized one now and then).</summary>
    public FuzzMessage Next()
    {
        _count++;
        if (_count % OversizedEvery == OversizedEvery / 2) return Next("oversized");
        string[] weighted = [.. Classes.Where(c => c != "oversized"), "valid", "valid", "duplicate_key", "surrogate", "wrong_type", "truncated"];
        return Next(weighted[_random.Next(weighted.Length)]);
    }

    public FuzzMessage Next(string kind)
    {
        var id = $"fz{seed}_{++_count}";
        switch (kind)
        {
            case "valid":
                return Text(kind, ValidEvent(id), id, mustFail: false);
            case "wrong_type":
                return Text(kind, WrongType(id), id, mustFail: true);
            case "missing_field":
                return Text(kind, Missing(id), id, mustFail: true);
            case "unknown_type":
                return Text(kind, new JsonObject { ["event_id"] = id, ["type"] = Pick("session.frobnicate", "response.create2", "", "input_audio_buffer", "x") }, id, mustFail: true);
            case "unknown_field":
                return Text(kind, new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.append", ["audio"] = "AAAA", [Pick("extra", "Audio", "audio_format")] = 1 }, id, mustFail: true);
            case "duplicate_key":
                return DuplicateKey(id);
            case "surrogate":
                return Surrogate(id);
            case "bom":
                return new FuzzMessage(kind, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(ValidEvent(id).ToJsonString())], false, id, MustFail: false);
            case "deep_nesting":
            {
                var depth = _random.Next(65, 2000);
                var json = $"{{\"event_id\":\"{id}\",\"type\":\"response.create\",\"response\":{{\"metadata\":{{\"k\":{new string('[', depth)}{new string(']', depth)}}}}}}}";
                return new FuzzMessage(kind, Encoding.UTF8.GetBytes(json), false, id, MustFail: true);
            }
            case "huge_string":
                // 1–3 MB: valid silence (split into frames on the way) or a huge invalid value.
                return _random.Next(2) == 0
                    ? Text(kind, Append(id, new byte[2 * _random.Next(500_000, 1_500_000)]), id, mustFail: false)
                    // An unknown item id: the provider's error, whatever its own rules on ids.
                    : Text(kind, new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.delete", ["item_id"] = new string('x', _random.Next(1_000_000, 3_000_000)) }, id, mustFail: false);
            case "invalid_base64":
                return Text(kind, new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.append", ["audio"] = Pick("not base64!!", "AAA", "====", "QUJD\u00e9", "A\u0000B=") }, id, mustFail: true);
            case "odd_length_audio":
                return Text(kind, Append(id, new byte[2 * _random.Next(1, 500) + 1]), id, mustFail: false);
            case "empty_audio":
                return Text(kind, new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.append", ["audio"] = Pick("", "\n\n", "AA==", "AAA=") }, id, mustFail: false);
            case "binary_frame":
                return new FuzzMessage(kind, Encoding.UTF8.GetBytes(ValidEvent(id).ToJsonString()), true, id, MustFail: false);
            case "binary_garbage":
            {
                var bytes = new byte[_random.Next(1, 2000)];
                _random.NextBytes(bytes);
                bytes[0] = (byte)'#'; // never a JSON object
                return new FuzzMessage(kind, bytes, true, null, MustFail: true);
            }
            case "truncated":
                return Truncated(id);
            case "not_object":
                return new FuzzMessage(kind, Encoding.UTF8.GetBytes(Pick("[1,2,3]", "\"input_audio_buffer.append\"", "42", "null", "true", "[{\"event_id\":\"x\"}]")), false, null, MustFail: true);
            case "oversized":
            {
                var padding = new string('A', maxMessageBytes + 1024);
                return new FuzzMessage(kind, Encoding.UTF8.GetBytes($"{{\"event_id\":\"{id}\",\"type\":\"input_audio_buffer.append\",\"audio\":\"{padding}\"}}"), false, id, MustFail: true);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private JsonObject ValidEvent(string id) => _random.Next(8) switch
    {
        0 or 1 => Append(id, new byte[2 * _random.Next(240, 2400)]), // 10–100 ms of silence
        2 => new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.clear" },
        3 => new JsonObject
        {
            ["event_id"] = id, ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = $"fuzz {id} \u00e9\U0001F600" }) },
        },
        4 => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.retrieve", ["item_id"] = "item_does_not_exist_" + id },
        5 => new JsonObject { ["event_id"] = id, ["type"] = "response.cancel" },
        6 => new JsonObject { ["event_id"] = id, ["type"] = "session.update", ["session"] = new JsonObject { ["type"] = "realtime", ["max_output_tokens"] = _random.Next(2) == 0 ? "inf" : 4096 } },
        _ => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.delete", ["item_id"] = "item_missing_" + id },
    };

    private static JsonObject Append(string id, byte[] audio) =>
        new() { ["event_id"] = id, ["type"] = "input_audio_buffer.append", ["audio"] = Convert.ToBase64String(audio) };

    private JsonObject WrongType(string id) => _random.Next(7) switch
    {
        0 => new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.append", ["audio"] = _random.Next(100) },
        1 => new JsonObject { ["event_id"] = id, ["type"] = "session.update", ["session"] = "realtime" },
        2 => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.create", ["item"] = new JsonArray(1, 2) },
        3 => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.truncate", ["item_id"] = "i", ["content_index"] = "0", ["audio_end_ms"] = 5 },
        4 => new JsonObject { ["event_id"] = id, ["type"] = "response.create", ["response"] = Pick("now", "later") },
        5 => new JsonObject { ["event_id"] = id, ["type"] = "session.update", ["session"] = new JsonObject { ["type"] = "realtime", ["max_output_tokens"] = Pick("infinity", "0", "lots") } },
        _ => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.delete", ["item_id"] = new JsonObject() },
    };

    private JsonObject Missing(string id) => _random.Next(5) switch
    {
        0 => new JsonObject { ["event_id"] = id, ["type"] = "input_audio_buffer.append" },
        1 => new JsonObject { ["event_id"] = id, ["type"] = "session.update" },
        2 => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.create" },
        3 => new JsonObject { ["event_id"] = id, ["type"] = "conversation.item.truncate", ["item_id"] = "i", ["content_index"] = 0 },
        _ => new JsonObject { ["event_id"] = id },
    };

    /// <summary>A key written twice at the top level, in <c>session</c> or in <c>item</c>.</summary>
    private FuzzMessage DuplicateKey(string id)
    {
        var json = _random.Next(5) switch
        {
            0 => $"{{\"type\":\"response.cancel\",\"event_id\":\"{id}\",\"event_id\":\"other\"}}",
            1 => $"{{\"event_id\":\"{id}\",\"type\":\"response.cancel\",\"type\":\"response.create\"}}",
            2 => $"{{\"event_id\":\"{id}\",\"type\":\"session.update\",\"session\":{{\"type\":\"realtime\",\"instructions\":\"a\",\"instructions\":\"b\"}}}}",
            3 => $"{{\"event_id\":\"{id}\",\"type\":\"conversation.item.create\",\"item\":{{\"type\":\"message\",\"role\":\"user\",\"type\":\"function_call\",\"content\":[]}}}}",
            _ => $"{{\"event_id\":\"{id}\",\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA\",\"audio\":\"AAAA\"}}",
        };
        return new FuzzMessage("duplicate_key", Encoding.UTF8.GetBytes(json), false, id, MustFail: true);
    }

    /// <summary>An unpaired surrogate escape in type, in event_id (echoed as written) or deep in a forwarded value.</summary>
    private FuzzMessage Surrogate(string id)
    {
        var lone = Pick("\\udfff", "\\ud800", "\\udbff\\u0041");
        return _random.Next(4) switch
        {
            0 => Raw($"{{\"event_id\":\"{id}\",\"type\":\"{lone}\"}}", id),
            1 => Raw($"{{\"type\":\"response.cancel\",\"event_id\":\"{id}{lone}\"}}", id + lone),
            2 => Raw($"{{\"event_id\":\"{id}\",\"type\":\"conversation.item.create\",\"item\":{{\"type\":\"message\",\"role\":\"user\",\"content\":[{{\"type\":\"input_text\",\"text\":\"x{lone}\"}}]}}}}", id),
            _ => Raw($"{{\"event_id\":\"{id}\",\"type\":\"input_audio_buffer.append\",\"audio\":\"AAAA{lone}\"}}", id),
        };

        static FuzzMessage Raw(string json, string echoed) => new("surrogate", Encoding.UTF8.GetBytes(json), false, echoed, MustFail: true);
    }

    /// <summary>A valid event cut short; its event_id (written first) survives only if the cut falls after it.</summary>
    private FuzzMessage Truncated(string id)
    {
        var whole = Encoding.UTF8.GetBytes(ValidEvent(id).ToJsonString());
        var cut = _random.Next(1, whole.Length - 1);
        var idEnd = Encoding.UTF8.GetByteCount($"{{\"event_id\":\"{id}\"");
        return new FuzzMessage("truncated", whole[..cut], false, cut >= idEnd ? id : null, MustFail: true);
    }

    private static FuzzMessage Text(string kind, JsonObject message, string id, bool mustFail) =>
        new(kind, Encoding.UTF8.GetBytes(message.ToJsonString()), false, id, mustFail);

    private string Pick(params string[] options) => options[_random.Next(options.Length)];
}

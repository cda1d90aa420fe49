using System.Text;
using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Remembers the last string value read at one position of a repeated message (an audio delta's response or item
/// id), so a stream of deltas for the same item reuses one string instead of allocating one per frame.
/// </summary>
public sealed class Utf8StringCache
{
    private byte[] _utf8 = [];
    private string? _value;

    public string Get(ref Utf8JsonReader reader)
    {
        if (_value is not null && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(_utf8))
            return _value;
        _value = reader.GetString()!;
        _utf8 = Encoding.UTF8.GetBytes(_value);
        return _value;
    }
}

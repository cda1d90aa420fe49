using System.Buffers;

namespace VoicePlatform.Recordings;

/// <summary>
/// Validation of object keys. Keys come partly from tenant-controlled ids, so they are restricted to a portable
/// subset that maps safely onto file paths and S3 keys: '/'-separated segments of ASCII letters, digits,
/// '-', '_' and '.', no segment empty or starting with '.' (which rules out "." and ".." and leaves dot-names free
/// for the store's own temporary files), no leading '/', at most 1024 characters.
/// </summary>
public static class RecordingObjectKey
{
    public const int MaxLength = 1024;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./");

    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key.AsSpan().ContainsAnyExcept(Allowed))
            return false;
        foreach (var segment in key.AsSpan().Split('/'))
        {
            var part = key.AsSpan()[segment];
            if (part.IsEmpty || part[0] == '.')
                return false;
        }
        return true;
    }

    /// <exception cref="ArgumentException">The key is not valid.</exception>
    public static void Validate(string? key, string paramName = "key")
    {
        if (!IsValid(key))
            throw new ArgumentException($"Invalid recording object key '{key}'.", paramName);
    }

    /// <summary>A listing prefix is a key prefix: the same characters, and it may end with '/' or be empty.</summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length == 0)
            return;
        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        // A trailing partial segment such as "part-" is fine; dot-leading or empty segments are not.
        if (!IsValid(trimmed))
            throw new ArgumentException($"Invalid recording key prefix '{prefix}'.", paramName);
    }
}

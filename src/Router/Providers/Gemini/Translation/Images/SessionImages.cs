using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The images a session's users shared, kept in this Router's memory (bounded by <see cref="GeminiImageOptions"/>, the
/// oldest evicted first) so that a context rebuilt from the conversation can show them to Gemini again, and a reference
/// to each (no bytes) for the checkpoint. An image that is gone (evicted, or held by a Router that crashed) is told to
/// the model in words instead; that is logged once per session. Callers hold the session's gate.
/// </summary>
internal sealed class SessionImages(GeminiImageOptions options, ILogger logger, string sessionId)
{
    /// <summary>What a rebuilt context says where an image was that the Router no longer has.</summary>
    public const string UnavailableText = "[the user shared an image earlier; it is no longer available]";

    /// <summary>References kept for the checkpoint (the newest); each is ~150 bytes of provider state.</summary>
    private const int MaxReferences = 100;

    private readonly List<KeptImage> _kept = [];
    private readonly List<ImageReference> _references = [];
    private long _keptBytes;
    private bool _unavailableLogged;

    /// <summary>The checkpoint's references, oldest first.</summary>
    public IReadOnlyList<ImageReference> References => _references;

    /// <summary>Bytes of the images kept now.</summary>
    public long KeptBytes => _keptBytes;

    /// <summary>Keeps part <paramref name="contentIndex"/> of item <paramref name="itemId"/>, evicting the oldest beyond the bounds.</summary>
    public ImageReference Keep(string itemId, int contentIndex, ImageDataUri image)
    {
        var bytes = new byte[image.Bytes];
        if (!Convert.TryFromBase64Chars(image.Base64.Span, bytes, out var written))
        {
            throw new FormatException("An image that passed validation did not decode."); // ImageDataUri.Parse checked it
        }

        var reference = new ImageReference(itemId, contentIndex, image.MimeType, written, Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, written))));
        _references.Add(reference);
        if (_references.Count > MaxReferences)
        {
            _references.RemoveAt(0);
        }

        _kept.Add(new KeptImage(itemId, contentIndex, image.MimeType, written == bytes.Length ? bytes : bytes[..written]));
        _keptBytes += written;
        while (_kept.Count > 0 && (_kept.Count > options.KeptPerSession || _keptBytes > options.KeptBytesPerSession))
        {
            _keptBytes -= _kept[0].Bytes.Length;
            _kept.RemoveAt(0);
        }

        return reference;
    }

    /// <summary>The references a checkpoint recorded (a resumed session): kept on, so the next write does not lose them.</summary>
    public void Restore(IEnumerable<ImageReference> references) => _references.InsertRange(0, references.TakeLast(MaxReferences - _references.Count));

    public bool TryGet(string itemId, int contentIndex, out KeptImage image)
    {
        image = _kept.Find(i => i.ContentIndex == contentIndex && i.ItemId == itemId)!;
        return image is not null;
    }

    /// <summary>The item was deleted: its images are not needed again.</summary>
    public void Forget(string itemId)
    {
        foreach (var image in _kept.Where(i => i.ItemId == itemId))
        {
            _keptBytes -= image.Bytes.Length;
        }

        _kept.RemoveAll(i => i.ItemId == itemId);
    }

    /// <summary>The words that stand for an image of <paramref name="itemId"/> this Router does not have (logged once per session).</summary>
    public string Unavailable(string itemId)
    {
        if (!_unavailableLogged)
        {
            _unavailableLogged = true;
            logger.LogWarning("Gemini session {SessionId}: the image(s) of item {ItemId} (and any other earlier ones) are no longer available on this Router; the rebuilt context says so in text",
                sessionId, itemId);
        }

        return UnavailableText;
    }
}

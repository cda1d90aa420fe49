using System.Text;

namespace VoicePlatform.TestSupport.Webhooks;

/// <summary>A request as a <see cref="LocalWebhookServer"/> received it.</summary>
public sealed class ReceivedWebhook(string path, IReadOnlyDictionary<string, string> headers, byte[] body)
{
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Path { get; } = path;

    /// <summary>Request headers, names case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public byte[] Body { get; } = body;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Completes when the client aborted the request before the handler finished.</summary>
    public Task Aborted => _aborted.Task;

    internal void MarkAborted() => _aborted.TrySetResult();
}

using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// A Gemini session with an image behind the Router's real checkpointer, writing to a real Redis: what the store holds
/// for the image is a reference (media type, size, SHA-256, item id), never its bytes, whichever echo is configured.
/// </summary>
public sealed class GeminiImageCheckpointTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly CatalogModel Live38 = new() { Id = "gemini-3.8-live", Provider = "google", UpstreamModel = "gemini-3.8-live" };

    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync((await BackingServices.GetAsync()).RedisConnectionString);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_checkpoint_in_Redis_has_a_reference_to_the_image_and_none_of_its_bytes(bool echoImageUrl)
    {
        // 64 KiB of image: its base64 would be obvious in the stored history.
        var image = new byte[64 * 1024];
        new Random(7).NextBytes(image);
        image[0] = 0xFF;
        var base64 = Convert.ToBase64String(image);

        var options = new ContinuityOptions { LeaseDuration = TimeSpan.FromSeconds(10), Retention = TimeSpan.FromMinutes(5) };
        var store = new SessionStateStore(_redis, Options.Create(options));
        await using var harness = await GeminiHarness.CreateAsync(output, connectorSettings: new() { ["Providers:Gemini:Images:EchoImageUrl"] = echoImageUrl.ToString() });
        var lease = (await store.TryAcquireAsync(harness.SessionId, "router-a", takeOver: false))!;
        var sink = new RecordingSink();
        await using var checkpointer = new SessionCheckpointer(sink, store, lease, options, new Dictionary<string, string> { ["tenant"] = "t" },
            resumed: null, NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var context = new ProviderSessionContext(harness.SessionId, "tenant_test", Live38.Id, Live38) { Checkpoints = checkpointer };
        await using var session = await harness.Connector.ConnectAsync(context, checkpointer, cts.Token);

        await session.SendEventAsync(0, JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "conversation.item.create",
            item = new
            {
                id = "item_photo",
                type = "message",
                role = "user",
                content = new object[] { new { type = "input_text", text = "What is this?" }, new { type = "input_image", image_url = "data:image/jpeg;base64," + base64 } },
            },
        }), CancellationToken.None);
        var done = await sink.WaitForAsync("conversation.item.done");
        Assert.Equal(echoImageUrl, done.Get("item", "content")!.Value[1].TryGetProperty("image_url", out _));

        var snapshot = await StoredAsync(store, harness.SessionId,
            s => s.History.Any(i => i.Contains("item_photo", StringComparison.Ordinal)) && s.Field("provider:gemini_images") is not null);
        var stored = Assert.Single(snapshot.History);
        Assert.DoesNotContain(base64[..64], stored, StringComparison.Ordinal);
        Assert.DoesNotContain("image_url", stored, StringComparison.Ordinal);
        var part = JsonDocument.Parse(stored).RootElement.GetProperty("content")[1];
        Assert.Equal("input_image", part.GetProperty("type").GetString());

        var reference = Assert.Single(JsonDocument.Parse(snapshot.Field("provider:gemini_images")!).RootElement.EnumerateArray());
        Assert.Equal("item_photo", reference.GetProperty("item_id").GetString());
        Assert.Equal(1, reference.GetProperty("content_index").GetInt32());
        Assert.Equal("image/jpeg", reference.GetProperty("media_type").GetString());
        Assert.Equal(image.Length, reference.GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), reference.GetProperty("sha256").GetString());
        Assert.True(snapshot.Fields.Sum(f => f.Value.Length) + snapshot.History.Sum(h => h.Length) < 16 * 1024, "the checkpoint stays small");
    }

    /// <summary>Waits until the store's copy satisfies <paramref name="condition"/> (the checkpointer writes in the background).</summary>
    private static async Task<SessionSnapshot> StoredAsync(SessionStateStore store, string sessionId, Func<SessionSnapshot, bool> condition)
    {
        var snapshot = await Poll.UntilAsync(() => store.LoadAsync(sessionId), s => s is not null && condition(s), TimeSpan.FromSeconds(10));
        Assert.True(snapshot is not null && condition(snapshot), "the checkpoint was not written in time");
        return snapshot;
    }
}

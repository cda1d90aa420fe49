namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>Settings of section <c>OpenAIEmulator</c>. Every field is listed with its default in README.md.</summary>
public sealed class OpenAIEmulatorOptions
{
    public const string SectionName = "OpenAIEmulator";

    /// <summary>Accepted API keys. Empty accepts any non-empty key (tests and local runs need no setup).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>The GA session cap; at the cap the server sends <c>session_expired</c> and closes 1001.</summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Largest accepted client frame. The real service allows 15 MiB of audio per append.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Length of reply audio per reply character, at speed 1.0.</summary>
    public double ReplyMsPerCharacter { get; set; } = 60;

    /// <summary>
    /// How fast reply audio is streamed, as a multiple of realtime: 0 sends the whole response at once
    /// (fast tests); 1 paces it like playback; 4 is "faster than realtime" like the real service.
    /// Only a paced response can be interrupted or cancelled while it streams.
    /// </summary>
    public double ResponseRealtimeFactor { get; set; }

    /// <summary>Token budget reported by <c>rate_limits.updated</c> (the capture showed 40000).</summary>
    public int RateLimitTokensPerMinute { get; set; } = 40000;

    /// <summary>How long a server-initiated close waits for the client's close frame before aborting.</summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Extra time before each response's first output, per model (the session's <c>model</c>, exact name), e.g.
    /// <c>ReplyDelays:gpt-realtime-mini=00:00:00.250</c>: two models that answer at different speeds, for experiments.
    /// Added to <see cref="FaultOptions.ReplyDelayMs"/>; models not listed get none.
    /// </summary>
    public Dictionary<string, TimeSpan> ReplyDelays { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The "demo" behaviour: user text that names a declared function (words of its name or description) calls it,
    /// with arguments guessed from the text, as a real model would; <c>call &lt;tool&gt; &lt;json&gt;</c> still wins.
    /// </summary>
    public bool DemoToolCalls { get; set; } = true;

    /// <summary>
    /// The dialect of the root path <c>/v1/realtime</c>: <c>openai</c> or <c>xai</c> (as api.x.ai serves it there).
    /// <c>/openai/v1/realtime</c> (Azure) and <c>/xai/v1/realtime</c> always speak their own variant.
    /// </summary>
    public string Variant { get; set; } = "openai";

    public AzureOptions Azure { get; set; } = new();

    public XaiOptions Xai { get; set; } = new();

    public FaultOptions Faults { get; set; } = new();

    public RecordOptions Record { get; set; } = new();

    /// <summary>The delay before a response's first output for <paramref name="model"/>: its configured delay plus the fault's.</summary>
    public TimeSpan ReplyDelayFor(string model)
    {
        var configured = ReplyDelays.TryGetValue(model, out var delay) && delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        return configured + TimeSpan.FromMilliseconds(Math.Max(0, Faults.ReplyDelayMs));
    }
}

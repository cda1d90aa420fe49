namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>Configuration section <c>Providers:OpenAI</c>.</summary>
public sealed class OpenAIProviderOptions
{
    public const string SectionName = "Providers:OpenAI";

    /// <summary>WebSocket base, e.g. <c>wss://api.openai.com/v1</c> or the emulator's <c>ws://127.0.0.1:port/v1</c>.</summary>
    public string BaseUrl { get; set; } = "wss://api.openai.com/v1";

    public string ApiKey { get; set; } = "";

    /// <summary>Limit for the upgrade plus the first <c>session.created</c> (and, separately, for restoring a session on a new connection).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest provider message accepted (audio deltas and retrieved items are the big ones).</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// OpenAI's cap on one connection. The connector takes the earlier of this (from connect) and the connection's
    /// <c>session.expires_at</c>.
    /// </summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long before the cap the session moves to a new connection (at the next turn boundary; forced at a quarter of
    /// this before the cap). Connections that live no longer than twice this are not rolled over. Zero disables rollover.
    /// </summary>
    public TimeSpan RolloverMargin { get; set; } = TimeSpan.FromMinutes(5);
}

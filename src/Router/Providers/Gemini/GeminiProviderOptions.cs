namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Configuration section <c>Providers:Gemini</c>.</summary>
public sealed class GeminiProviderOptions
{
    public const string SectionName = "Providers:Gemini";

    /// <summary><c>developer</c> (the Gemini Developer API) or <c>vertex</c> (Vertex AI; see <see cref="Vertex"/>).</summary>
    public string Platform { get; set; } = DeveloperPlatform;

    public const string DeveloperPlatform = "developer";
    public const string VertexPlatform = "vertex";

    public bool IsVertex => string.Equals(Platform, VertexPlatform, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// WebSocket base, e.g. an emulator's <c>ws://127.0.0.1:5080</c>; empty = the platform's own:
    /// <c>wss://generativelanguage.googleapis.com</c>, or on Vertex the host of <see cref="GeminiVertexOptions.Location"/>.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Gemini API key, sent as <c>?key=</c> (on Vertex, express mode: <c>x-goog-api-key</c>). Never logged.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>API version in the BidiGenerateContent path; empty = <c>v1beta</c> (Developer API) or <c>v1beta1</c> (Vertex).</summary>
    public string ApiVersion { get; set; } = "";

    /// <summary>Vertex AI project, location and credentials (used when <see cref="Platform"/> is <c>vertex</c>).</summary>
    public GeminiVertexOptions Vertex { get; set; } = new();

    public string EffectiveBaseUrl => BaseUrl.Length > 0 ? BaseUrl
        : IsVertex ? "wss://" + Vertex.Host : "wss://generativelanguage.googleapis.com";

    public string EffectiveApiVersion => ApiVersion.Length > 0 ? ApiVersion : IsVertex ? "v1beta1" : "v1beta";

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? ValidationError() =>
        !IsVertex && !string.Equals(Platform, DeveloperPlatform, StringComparison.OrdinalIgnoreCase)
            ? $"Platform is '{Platform}'; it must be '{DeveloperPlatform}' or '{VertexPlatform}'."
            : IsVertex ? Vertex.ValidationError(ApiKey.Length > 0) : null;

    /// <summary>Limit for the WebSocket upgrade.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for <c>setupComplete</c> after the setup message was sent.</summary>
    public TimeSpan SetupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After <c>generationComplete</c>, how long <c>response.done</c> waits for the <c>turnComplete</c> frame that carries
    /// the turn's usage. Gemini sends it after its assumed playback (seconds later); when this runs out, response.done
    /// goes out with the latest usage seen and the rest is carried into the next response.done.
    /// </summary>
    public TimeSpan UsageWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After router VAD ends a user turn, how long a model reply is expected before the turn is considered unanswered.</summary>
    public TimeSpan ReplyExpectedWithin { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gemini voice used when the OpenAI voice has no mapping (see <see cref="GeminiVoices"/>).</summary>
    public string DefaultVoice { get; set; } = "Puck";

    /// <summary><c>sessionResumption.transparent</c>; the Gemini Developer API may refuse it outside Vertex (then set false).</summary>
    public bool TransparentResumption { get; set; } = true;

    /// <summary><c>contextWindowCompression.triggerTokens</c>; 0 = server default (the context window).</summary>
    public long CompressionTriggerTokens { get; set; }

    /// <summary><c>expires_at</c> reported in session.created (informational; the platform keeps sessions alive past it).</summary>
    public TimeSpan ReportedSessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Client messages kept for transparent replay after a resume (bounded).</summary>
    public int ReplayLimit { get; set; } = 1024;

    /// <summary>
    /// How long a checkpointed resumption handle is tried after it was issued (Gemini: valid 2 h after the session's
    /// last connection ended). An older handle is not tried: the session is rebuilt from its history instead.
    /// </summary>
    public TimeSpan ResumptionHandleValidity { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a resume (or a reconnect) retries transient refusals — 1011 while the old socket is still open (a
    /// half-open socket after a Router crash), network failures — before it rebuilds the context from history.
    /// </summary>
    public TimeSpan ResumeRetryWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Connections Gemini drops without warning (no goAway) that a session recovers per minute; one more drop in the
    /// same minute ends the session with an error. 0 = a drop always ends it.
    /// </summary>
    public int DropRecoveriesPerMinute { get; set; } = 3;

    /// <summary>Largest server message accepted; a larger one ends the connection (1009) and the session with an error.</summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>History rebuild: at most this many characters of the most recent conversation are sent as context.</summary>
    public int HistoryRebuildMaxChars { get; set; } = 100_000;

    /// <summary>Image input: images kept per session for a rebuilt context, and the added/done echo (<c>Providers:Gemini:Images</c>).</summary>
    public GeminiImageOptions Images { get; set; } = new();

    /// <summary>Router-side speech detector (mirrors Gemini's energy VAD to time speech_started/stopped).</summary>
    public SpeechDetectorOptions Vad { get; set; } = new();
}

/// <summary>Router-side energy VAD: RMS over 20 ms frames, on audio time.</summary>
public sealed class SpeechDetectorOptions
{
    /// <summary>Start threshold in dBFS at default sensitivity; speech continues down to 3 dB below it.</summary>
    public double ThresholdDbfs { get; set; } = -40;

    /// <summary>Shift applied for START/END sensitivity LOW/HIGH.</summary>
    public double SensitivityStepDb { get; set; } = 10;

    /// <summary>
    /// Speech needed before a start is confirmed: Gemini's <c>prefixPaddingMs</c>. This is not OpenAI's
    /// <c>prefix_padding_ms</c> (audio kept before the detected start, reported in <c>audio_start_ms</c>), which the
    /// connector applies itself when it reports speech_started.
    /// </summary>
    public int StartConfirmationMs { get; set; } = 60;
}

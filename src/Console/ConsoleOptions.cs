namespace VoicePlatform.Console;

/// <summary>The console's settings (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The Gateway's base URL; <c>http://gateway</c> resolves through service discovery (<c>services__gateway__http__0</c>).</summary>
    public string GatewayUrl { get; set; } = "http://gateway";

    /// <summary>The Gateway URL shown to people in connection snippets; the <see cref="GatewayUrl"/> as resolved when empty.</summary>
    public string PublicGatewayUrl { get; set; } = "";

    /// <summary>A signed-in session ends after this long without a request (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the Overview refreshes the live session count.</summary>
    public TimeSpan LiveRefreshInterval { get; set; } = TimeSpan.FromSeconds(3);

    public DevSignInOptions DevSignIn { get; set; } = new();
}

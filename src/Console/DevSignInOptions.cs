namespace VoicePlatform.Console;

/// <summary>
/// One-click development sign-in (section <c>Console:DevSignIn</c>): AppHost passes a one-time token and the development
/// tenant's key; <c>GET /login/one-time?token=…</c> signs that tenant in once. Off when either is empty.
/// </summary>
public sealed class DevSignInOptions
{
    public string Token { get; set; } = "";

    public string ApiKey { get; set; } = "";

    public bool Enabled => Token.Length > 0 && ApiKey.Length > 0;
}

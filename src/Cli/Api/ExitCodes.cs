namespace VoicePlatform.Cli.Api;

/// <summary>The exit codes scripts can rely on (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server answered with an error (HTTP 4xx/5xx other than below, an <c>error</c> event, an abnormal close).</summary>
    public const int ServerError = 1;

    /// <summary>The command line is wrong (unknown command or option, missing argument, unreadable input file).</summary>
    public const int UsageError = 2;

    /// <summary>The key is missing, wrong, revoked or not allowed (HTTP 401/403, <c>invalid_api_key</c>).</summary>
    public const int AuthenticationFailed = 3;

    /// <summary>What was named does not exist (HTTP 404, <c>model_not_found</c>).</summary>
    public const int NotFound = 4;

    /// <summary>The gateway cannot be reached (connection refused, DNS, TLS, timeout).</summary>
    public const int CannotConnect = 5;
}

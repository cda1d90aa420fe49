namespace VoicePlatform.Console.Authentication;

public static class ConsoleClaims
{
    /// <summary>The key the user signed in with. It lives only in the server-side ticket store, never in the browser.</summary>
    public const string ApiKey = "vp:api_key";

    public const string TenantRole = "tenant";

    public const string OperatorRole = "operator";
}

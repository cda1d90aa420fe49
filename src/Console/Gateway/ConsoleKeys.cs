namespace VoicePlatform.Console.Gateway;

public static class ConsoleKeys
{
    /// <summary>The operator key's prefix (Gateway:OperatorKey); tenant keys have another.</summary>
    public const string OperatorPrefix = "vpop_";
}

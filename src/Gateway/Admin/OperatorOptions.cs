namespace VoicePlatform.Gateway.Admin;

public sealed class OperatorOptions
{
    /// <summary>The operator key (configuration <c>Gateway:OperatorKey</c>). Empty disables the operator API.</summary>
    public string OperatorKey { get; set; } = "";
}

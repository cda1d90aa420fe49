namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>
/// The names of the reply token counts in <c>usageMetadata</c>: the Developer API says <c>response*</c>, Vertex says
/// <c>candidates*</c> (the SDKs rename one to the other).
/// </summary>
internal sealed record UsageFieldNames(string Count, string Details)
{
    public static readonly UsageFieldNames DeveloperApi = new("responseTokenCount", "responseTokensDetails");
    public static readonly UsageFieldNames Vertex = new("candidatesTokenCount", "candidatesTokensDetails");
}

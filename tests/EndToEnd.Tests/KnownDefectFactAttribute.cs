namespace VoicePlatform.EndToEnd.Tests;

/// <summary>
/// A test that exposes an open defect intermittently: skipped (with the defect named) in the regular suite so it cannot
/// block every submission, run with <c>VOICEPLATFORM_KNOWN_DEFECTS=1</c> (as <c>scripts/fault-loop.sh</c> does) by
/// whoever works on the defect. Remove the attribute together with the defect.
/// </summary>
public sealed class KnownDefectFactAttribute : FactAttribute
{
    public KnownDefectFactAttribute(string defect)
    {
        if (Environment.GetEnvironmentVariable("VOICEPLATFORM_KNOWN_DEFECTS") != "1")
            Skip = $"Known open defect, run with VOICEPLATFORM_KNOWN_DEFECTS=1: {defect}";
    }
}

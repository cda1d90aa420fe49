namespace VoicePlatform.Emulators.GeminiLive.ModelProfiles;

/// <summary>Values of <c>serverContent.interactionStatus</c> (js-genai <c>InteractionStatus</c>).</summary>
internal static class InteractionStatus
{
    /// <summary>The model will go on by itself: a NON_BLOCKING call is outstanding, a result or an answer is still to come.</summary>
    public const string InProgress = "IN_PROGRESS";

    /// <summary>Nothing pending: the interaction is over until the user speaks.</summary>
    public const string Idle = "IDLE";
}

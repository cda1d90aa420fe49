using System.Globalization;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>One entry of the server-side context. Immutable so resumption snapshots can share it.</summary>
internal sealed record ConversationTurn(string Role, string Text, double AudioSeconds, ModalityTokens Tokens, TurnKind Kind = TurnKind.Message)
{
    public bool IsUserMessage => Role == "user" && Kind == TurnKind.Message;

    /// <summary>What the user said as the model "heard" it: typed text or an audio placeholder.</summary>
    public string Display => Text.Length > 0 || AudioSeconds <= 0
        ? Text
        : string.Create(CultureInfo.InvariantCulture, $"[audio {AudioSeconds:0.0} s]");
}

internal enum TurnKind
{
    Message,
    FunctionCall,
    FunctionResponse,
}

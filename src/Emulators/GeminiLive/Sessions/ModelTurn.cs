using System.Text;
using VoicePlatform.Emulators.GeminiLive.Model;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>The model turn in progress: what is being spoken, how far it got, what it waits on.</summary>
internal sealed class ModelTurn
{
    public ModelTurnStage Stage { get; set; } = ModelTurnStage.Thinking;

    /// <summary>When the next step (start, next chunk) is due.</summary>
    public DateTimeOffset NextDue { get; set; }

    /// <summary>The plan to act on when thinking ends.</summary>
    public ReplyPlan? Plan { get; set; }

    /// <summary>The segment being spoken now (a turn can have several: tool call note, tool result).</summary>
    public string Segment { get; set; } = string.Empty;
    public byte[]? SegmentAudio { get; set; }
    public int AudioOffset { get; set; }
    public int TextOffset { get; set; }

    /// <summary>Everything that reached the client this turn: an interrupted turn keeps only this in history.</summary>
    public StringBuilder Spoken { get; } = new();
    public double AudioSecondsSent { get; set; }

    /// <summary>When the client's assumed realtime playback of the audio sent so far ends.</summary>
    public DateTimeOffset? PlaybackEnd { get; set; }

    public List<PendingFunctionCall> PendingBlocking { get; } = [];

    /// <summary>The blocking calls of the current toolCall, in the order the model made them.</summary>
    public List<PendingFunctionCall> Issued { get; } = [];
    public List<(PendingFunctionCall Call, FunctionResultText Result)> Answered { get; } = [];

    public ModalityTokens PromptTokens { get; set; }
    public int ToolUseTokens { get; set; }

    /// <summary>The extended-thinking model's reasoning behind this turn (usageMetadata.thoughtsTokenCount).</summary>
    public int ThoughtsTokens { get; set; }
    public DateTimeOffset? TurnCompleteAt { get; set; }
}

internal enum ModelTurnStage
{
    Thinking,
    Streaming,
    WaitingForTool,
    Finishing,
}

internal sealed record FunctionResultText(string Reply, string ResponseJson);

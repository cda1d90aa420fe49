namespace VoicePlatform.Gateway.Transcripts;

/// <summary>How <c>GET /v1/sessions/{id}/transcript</c> answers: <c>format=</c> wins, then the Accept header, then JSON.</summary>
public enum TranscriptFormat
{
    Json,
    Text,
    Vtt,
}

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>A spoken turn's audio (16 kHz PCM16) to send again to a rebuilt connection; <paramref name="AnswerIt"/> when its reply was lost.</summary>
internal sealed record RespokenTurn(byte[] Pcm, bool AnswerIt);

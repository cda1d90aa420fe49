namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>A kept image in a rebuilt context: its video frame goes up before history turn <paramref name="BeforeTurn"/> (= the turn count: after them all).</summary>
internal readonly record struct HistoryFrame(int BeforeTurn, KeptImage Image);

using VoicePlatform.Emulators.GeminiLive.Audio;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Model;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The user's side of a connection between messages: automatic (VAD) or manual activity, the loopback echo's
/// resampler, and video tokens waiting to be counted on the next user turn. Turns the input into conversation turns.
/// </summary>
internal sealed class UserInput(GeminiEmulatorOptions options)
{
    private EnergyVad? _vad;
    private bool _manualActivity;
    private double _manualSeconds;
    private int _pendingVideoTokens;
    private StreamingResampler? _loopback;

    /// <summary>The user is speaking (manual activity open, or the VAD is in speech).</summary>
    public bool InActivity => _manualActivity || (_vad?.InSpeech ?? false);

    public bool InManualActivity => _manualActivity;

    /// <summary>The voice activity detector; set up at setup, used when automatic activity detection is on.</summary>
    public EnergyVad Vad => _vad!;

    public void Start(SessionSetup setup) => _vad = CreateVad(setup, options.Vad);

    public void StartManualActivity()
    {
        _manualActivity = true;
        _manualSeconds = 0;
    }

    /// <summary>Ends the manual activity; returns the seconds of audio received during it.</summary>
    public double EndManualActivity()
    {
        _manualActivity = false;
        return _manualSeconds;
    }

    /// <summary>Audio with manual activity detection: only its duration counts, and only inside an activity.</summary>
    public void AddManualAudio(AudioInput audio)
    {
        if (_manualActivity)
        {
            _manualSeconds += audio.Pcm.Length / 2.0 / audio.SampleRate;
        }
    }

    /// <summary>The loopback echo of a chunk: 24 kHz model audio of the same duration.</summary>
    public byte[] Echo(AudioInput audio)
    {
        if (_loopback is null || _loopback.InputRate != audio.SampleRate)
        {
            _loopback = new StreamingResampler(audio.SampleRate, SpeechSynthesizer.SampleRate);
        }

        return _loopback.Process(audio.Pcm);
    }

    public void AddVideoFrame() => _pendingVideoTokens += options.VideoTokensPerFrame;

    public ConversationTurn UserText(string text) =>
        new("user", text, 0, new ModalityTokens(TokenCounter.Text(text), 0, TakeVideoTokens()));

    public ConversationTurn UserSpeech(double seconds) =>
        new("user", string.Empty, seconds,
            new ModalityTokens(0, TokenCounter.Audio(seconds, options.AudioTokensPerSecond), TakeVideoTokens()));

    public List<ConversationTurn> TurnsOf(ClientContentMessage content) => content.Turns.Select(t => new ConversationTurn(
        t.Role == "model" ? "model" : "user",
        t.Text,
        t.AudioSeconds,
        new ModalityTokens(
            TokenCounter.Text(t.Text),
            TokenCounter.Audio(t.AudioSeconds, options.AudioTokensPerSecond),
            t.Images * options.VideoTokensPerFrame))).ToList();

    private int TakeVideoTokens()
    {
        var tokens = _pendingVideoTokens;
        _pendingVideoTokens = 0;
        return tokens;
    }

    private static EnergyVad CreateVad(SessionSetup setup, VadOptions options)
    {
        var start = options.ThresholdDbfs + setup.StartSensitivity switch
        {
            "START_SENSITIVITY_HIGH" => -options.SensitivityStepDb,
            "START_SENSITIVITY_LOW" => options.SensitivityStepDb,
            _ => 0,
        };

        // Hysteresis: speech continues down to a few dB below the start threshold.
        var end = start - 3 + setup.EndSensitivity switch
        {
            "END_SENSITIVITY_HIGH" => options.SensitivityStepDb / 2,
            "END_SENSITIVITY_LOW" => -options.SensitivityStepDb / 2,
            _ => 0,
        };

        return new EnergyVad(start, end, setup.PrefixPaddingMs ?? options.PrefixPaddingMs, setup.SilenceDurationMs ?? options.SilenceDurationMs);
    }
}

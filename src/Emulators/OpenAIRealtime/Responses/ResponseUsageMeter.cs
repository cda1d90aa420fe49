namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// One response's token accounting: the input counted when it starts, the output as it streams, and the cut that
/// keeps a reply within <c>max_output_tokens</c>.
/// </summary>
internal sealed class ResponseUsageMeter
{
    private readonly ResponseParameters _parameters;
    private readonly (int Text, int Audio, int Image) _input;
    private readonly int _cached;
    private int _outputTextTokens;
    private double _outputAudioMs;

    public ResponseUsageMeter(ResponseParameters parameters, int cachedTokens)
    {
        _parameters = parameters;
        _input = UsageCalculator.Input(parameters);
        _cached = Math.Min(cachedTokens, _input.Text + _input.Audio);
    }

    /// <summary>Set when the reply was cut to fit <c>max_output_tokens</c> (the response ends incomplete).</summary>
    public bool TruncatedByMaxTokens { get; private set; }

    public ResponseUsage Usage => new(_input.Text, _input.Audio, _input.Image, _cached, _outputTextTokens,
        UsageCalculator.AssistantAudioTokens(_outputAudioMs));

    /// <summary>The output text so far (transcript, text or call arguments) is what output text tokens count.</summary>
    public void CountOutputText(string? text) => _outputTextTokens = UsageCalculator.TextTokens(text);

    public void AddOutputAudio(double ms) => _outputAudioMs += ms;

    public void SetOutputAudio(double ms) => _outputAudioMs = ms;

    /// <summary>Cuts the reply so text + audio tokens fit <c>max_output_tokens</c> (status incomplete).</summary>
    public string LimitToMaxOutputTokens(string text, double msPerChar)
    {
        if (_parameters.MaxOutputTokens is not { } max)
        {
            return text;
        }
        int Cost(int chars) => UsageCalculator.TextTokens(text[..chars])
            + (_parameters.Audio ? UsageCalculator.AssistantAudioTokens(chars * msPerChar) : 0);
        if (Cost(text.Length) <= max)
        {
            return text;
        }
        var n = text.Length;
        while (n > 0 && Cost(n) > max)
        {
            n--;
        }
        TruncatedByMaxTokens = true;
        return text[..n];
    }
}

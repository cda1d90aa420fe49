namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Attributes Gemini's per-turn usage to OpenAI responses so that the response.done usages of a session add up to what
/// Gemini reported. One Gemini turn can span several OpenAI responses (a function_call response, then the answer after
/// the tool output): each response gets the part of the turn's latest usage not yet attributed. Usage that arrives after
/// its response was done (a turnComplete after the usage wait, a cancelled turn) is carried into the next response.done.
/// </summary>
internal sealed class UsageAccounting
{
    private TokenUsage _latest;
    private TokenUsage _attributed;
    private TokenUsage _carry;

    /// <summary>A usageMetadata of the current turn (interim or final; per-turn numbers).</summary>
    public void Observe(TokenUsage usage) => _latest = usage;

    /// <summary>The usage for a response.done now.</summary>
    public TokenUsage TakeForResponse()
    {
        var usage = (_latest - _attributed) + _carry;
        _attributed = Max(_attributed, _latest);
        _carry = default;
        return usage;
    }

    /// <summary>The Gemini turn ended (turnComplete): what no response took yet waits for the next response.done.</summary>
    public TokenUsage EndTurn()
    {
        var rest = _latest - _attributed;
        _carry += rest;
        _latest = default;
        _attributed = default;
        return rest;
    }

    private static TokenUsage Max(TokenUsage a, TokenUsage b) => a + (b - a);
}

using System.Globalization;

namespace VoicePlatform.Cli.Talk;

/// <summary>
/// What <c>vp talk</c> shows while it runs: the transcript live on standard output, the session and a progress
/// indicator on standard error (a redrawn line on a terminal; nothing per chunk when redirected). Silent with <c>--json</c>.
/// </summary>
public sealed class TalkPrinter(TextWriter output, TextWriter error, bool live, bool interactive)
{
    private readonly Lock _gate = new();
    private bool _assistantLineOpen;
    private bool _progressShown;

    public void Status(string message)
    {
        if (!live) return;
        lock (_gate)
        {
            ClearProgress();
            error.WriteLine(message);
        }
    }

    public void Progress(TimeSpan sent, TimeSpan total)
    {
        if (!live || !interactive) return;
        lock (_gate)
        {
            const int width = 30;
            var filled = total <= TimeSpan.Zero ? width : (int)Math.Round(width * Math.Min(1, sent / total));
            error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', width - filled)}] {sent.TotalSeconds:0.0}/{total.TotalSeconds:0.0} s"));
            _progressShown = true;
        }
    }

    public void AssistantDelta(string text)
    {
        if (!live) return;
        lock (_gate)
        {
            ClearProgress();
            if (!_assistantLineOpen) output.Write("assistant: ");
            _assistantLineOpen = true;
            output.Write(text);
        }
    }

    public void AssistantDone()
    {
        if (!live) return;
        lock (_gate)
        {
            if (_assistantLineOpen) output.WriteLine();
            _assistantLineOpen = false;
        }
    }

    public void UserTranscript(string text)
    {
        if (!live) return;
        lock (_gate)
        {
            ClearProgress();
            if (_assistantLineOpen) output.WriteLine();
            _assistantLineOpen = false;
            output.WriteLine($"you: {text}");
        }
    }

    private void ClearProgress()
    {
        if (!_progressShown) return;
        error.Write("\r" + new string(' ', 50) + "\r");
        _progressShown = false;
    }
}

namespace VoicePlatform.AppHost.Processes;

/// <summary>Prefixes each line with its resource name, in a stable colour per resource.</summary>
public sealed class ConsoleLogSink : ILogSink
{
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Magenta, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkMagenta, ConsoleColor.DarkYellow];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsoleColor> _colours = new();
    private readonly int _width;

    public ConsoleLogSink(int nameWidth = 14) => _width = nameWidth;

    public void Line(string resource, string line, bool isError = false)
    {
        lock (_gate)
        {
            if (!_colours.TryGetValue(resource, out var colour))
            {
                colour = Palette[_colours.Count % Palette.Length];
                _colours[resource] = colour;
            }
            Console.ForegroundColor = colour;
            Console.Write(resource.PadRight(_width));
            Console.Write("| ");
            if (isError) Console.ForegroundColor = ConsoleColor.Red;
            else Console.ResetColor();
            Console.WriteLine(line);
            Console.ResetColor();
        }
    }
}

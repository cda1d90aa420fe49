using System.Globalization;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Routes;

namespace VoicePlatform.Cli.Experiments;

/// <summary>An experiment arm on the command line: <c>name=target[@weight]</c>, e.g. <c>control=gpt-realtime-2@50</c>.</summary>
public static class ArmArgument
{
    public static JsonObject Parse(string text)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw CliException.Usage($"--arm '{text}' must read name=target[@weight].");
        var name = text[..equals];
        var rest = text[(equals + 1)..];
        var weight = 1;
        var at = rest.LastIndexOf('@');
        // A trailing @N is the weight; anything else after an @ belongs to the target.
        if (at > 0 && rest.Length > at + 1 && rest[(at + 1)..].All(char.IsAsciiDigit))
        {
            weight = int.Parse(rest[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            rest = rest[..at];
        }
        return new JsonObject { ["name"] = name, ["target"] = TargetArgument.Parse(rest), ["weight"] = weight };
    }
}

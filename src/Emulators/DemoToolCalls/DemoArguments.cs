using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VoicePlatform.Emulators.DemoToolCalls;

/// <summary>
/// Fills a demo call's string parameters from the utterance where a simple rule applies, by the parameter's name:
/// an <c>enum</c> value that was said; a place (<c>city</c>, <c>location</c>, <c>country</c>, …) or a person's
/// <c>name</c> from capitalised words ("Paris", "New York"), preferring those after "in", "for", "at", …; a
/// <c>timezone</c> written as an IANA name ("Europe/Paris"); an identifier (<c>…id</c>, <c>number</c>, <c>code</c>)
/// from a word with a digit ("A-42"); free text (<c>query</c>, <c>question</c>, <c>text</c>, …) from the whole
/// utterance. Other parameters are left out: a heuristic for demos, not understanding.
/// </summary>
internal static partial class DemoArguments
{
    private static readonly HashSet<string> PlaceWords = new(StringComparer.Ordinal)
    {
        "city", "location", "place", "town", "country", "destination", "address", "where", "region", "area", "origin",
    };

    private static readonly HashSet<string> PersonWords = new(StringComparer.Ordinal) { "name", "person", "contact", "customer" };
    private static readonly HashSet<string> TimezoneWords = new(StringComparer.Ordinal) { "timezone", "tz", "zone" };
    private static readonly HashSet<string> IdentifierWords = new(StringComparer.Ordinal) { "id", "number", "code", "reference", "ref", "sku" };

    private static readonly HashSet<string> FreeTextWords = new(StringComparer.Ordinal)
    {
        "query", "question", "text", "message", "prompt", "utterance", "input", "request", "search", "topic", "q",
    };

    /// <summary>Words after which a capitalised word is most likely a place or a name.</summary>
    private static readonly HashSet<string> Prepositions = new(StringComparer.OrdinalIgnoreCase) { "in", "for", "at", "near", "to", "from", "of", "about" };

    [GeneratedRegex(@"\b\p{Lu}[\p{L}_]+(?:/[\p{L}_]+)+\b")]
    private static partial Regex IanaTimezone();

    [GeneratedRegex(@"(?<![\p{L}\p{N}-])[\p{L}]*-?\p{N}[\p{L}\p{N}-]*")]
    private static partial Regex WordWithDigit();

    public static JsonObject Fill(string utterance, DemoTool tool)
    {
        var arguments = new JsonObject();
        if (tool.Parameters is not { ValueKind: JsonValueKind.Object } schema
            || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return arguments;
        }

        var toolWords = DemoToolMatcher.KeysOf(tool);
        foreach (var property in properties.EnumerateObject())
        {
            if (IsString(property.Value) && ValueFor(property.Name, property.Value, utterance, toolWords) is { } value)
            {
                arguments[property.Name] = value;
            }
        }

        return arguments;
    }

    private static string? ValueFor(string parameter, JsonElement schema, string utterance, HashSet<string> toolWords)
    {
        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            var said = Words.OfSentence(utterance).Select(w => w.Text.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            return options.EnumerateArray()
                .Where(o => o.ValueKind == JsonValueKind.String)
                .Select(o => o.GetString()!)
                .FirstOrDefault(o => Words.OfSentence(o).Count > 0 && Words.OfSentence(o).All(w => said.Contains(w.Text.ToLowerInvariant())));
        }

        var words = Words.OfIdentifier(parameter).Select(w => w.ToLowerInvariant()).ToList();
        if (words.Any(TimezoneWords.Contains) || (words.Contains("time") && words.Contains("zone")))
        {
            return IanaTimezone().Match(utterance) is { Success: true } zone ? zone.Value : null;
        }
        if (words.Any(PlaceWords.Contains) || words.Any(PersonWords.Contains))
        {
            return CapitalisedName(utterance, toolWords);
        }
        if (words.Count > 0 && IdentifierWords.Contains(words[^1]))
        {
            return WordWithDigit().Match(utterance) is { Success: true } id ? id.Value : null;
        }
        if (words.Any(FreeTextWords.Contains))
        {
            return utterance.Trim();
        }
        return null;
    }

    /// <summary>The capitalised run of words ("New York") most likely to be a name: after a preposition if any, else the
    /// first one that does not start a sentence, else the first one. Common words and the tool's own words are skipped.</summary>
    private static string? CapitalisedName(string utterance, HashSet<string> toolWords)
    {
        var words = Words.OfSentence(utterance);
        var runs = new List<(string Text, bool AfterPreposition, bool StartsSentence)>();
        for (var i = 0; i < words.Count; i++)
        {
            if (!IsNameWord(words[i].Text, toolWords))
            {
                continue;
            }
            var start = i;
            while (i + 1 < words.Count && IsNameWord(words[i + 1].Text, toolWords)
                   && OnlySpaceBetween(utterance, words[i], words[i + 1]))
            {
                i++;
            }
            var text = string.Join(' ', words.Skip(start).Take(i - start + 1).Select(w => w.Text));
            var afterPreposition = start > 0 && Prepositions.Contains(words[start - 1].Text);
            var startsSentence = start == 0 || utterance[..words[start].Index].TrimEnd() is var before && before.Length > 0 && before[^1] is '.' or '!' or '?';
            runs.Add((text, afterPreposition, startsSentence));
        }

        return runs.FirstOrDefault(r => r.AfterPreposition).Text
            ?? runs.FirstOrDefault(r => !r.StartsSentence).Text
            ?? runs.FirstOrDefault().Text;
    }

    private static bool IsNameWord(string word, HashSet<string> toolWords) =>
        char.IsUpper(word[0]) && Words.Key(word) is { } key && !toolWords.Contains(key);

    private static bool OnlySpaceBetween(string utterance, (string Text, int Index) left, (string Text, int Index) right)
    {
        var end = left.Index + left.Text.Length;
        return right.Index > end && string.IsNullOrWhiteSpace(utterance[end..right.Index]);
    }

    /// <summary>A string parameter: <c>"string"</c> (Gemini: <c>"STRING"</c>), a type list holding it, or an untyped enum.</summary>
    private static bool IsString(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("enum", out _);
        }
        return type.ValueKind switch
        {
            JsonValueKind.String => string.Equals(type.GetString(), "string", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && string.Equals(t.GetString(), "string", StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }
}

using System.Globalization;
using System.Text;

namespace VoicePlatform.Docs.Tests;

/// <summary>
/// The anchor GitHub gives a heading: its text lowercased, everything but letters, digits, '_', '-' and spaces
/// dropped, spaces turned into hyphens; a repeated heading gets -1, -2, … (counted per document).
/// </summary>
public static class GitHubSlug
{
    public static string From(string headingText)
    {
        var slug = new StringBuilder(headingText.Length);
        foreach (var c in headingText.Trim().ToLowerInvariant())
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ') slug.Append('-');
            else if (c is '-' or '_' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation)
                slug.Append(c);
        }
        return slug.ToString();
    }
}

using System.Net;
using Microsoft.AspNetCore.Components;

namespace VoicePlatform.Console.Components.Pages.Sessions;

/// <summary>A search hit's snippet as markup: the text encoded, only the Gateway's &lt;mark&gt; highlights kept.</summary>
public static class SearchSnippet
{
    public static MarkupString ToMarkup(string snippet) =>
        new(WebUtility.HtmlEncode(snippet).Replace("&lt;mark&gt;", "<mark>").Replace("&lt;/mark&gt;", "</mark>"));
}

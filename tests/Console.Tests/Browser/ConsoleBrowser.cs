using Microsoft.Playwright;
using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.Console.Tests.Browser;

/// <summary>
/// Headless Debian chromium (Playwright's own browser download needs the internet) on a fresh context: requests to any
/// host but the console are refused, as offline, and console errors are collected for <see cref="AssertNoConsoleErrors"/>.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string SystemChromium = "/usr/bin/chromium";
    public static readonly float Timeout = 30_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];
    private readonly List<string> _elsewhere = [];

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, Uri console)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        Console = console;
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public Uri Console { get; }

    public static async Task<ConsoleBrowser> OpenAsync(string consoleUrl, int width = 1280, int height = 800)
    {
        Assert.True(File.Exists(SystemChromium), $"{SystemChromium} is missing: run scripts/bootstrap.sh (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        var console = new Uri(consoleUrl);
        var opened = new ConsoleBrowser(playwright, browser, context, page, console);
        await opened.WatchAsync(page);
        return opened;
    }

    private async Task WatchAsync(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_errors) _errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"{page.Url}: {error}"); };
        await Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" or "https" or "ws" or "wss" && url.Authority != Console.Authority)
            {
                lock (_elsewhere) _elsewhere.Add(route.Request.Url);
                await route.AbortAsync("internetdisconnected");
                return;
            }
            await route.ContinueAsync();
        });
    }

    public string Url(string path) => new Uri(Console, path).AbsoluteUri;

    public async Task<IResponse?> GotoAsync(string path) => await Page.GotoAsync(Url(path));

    /// <summary>Signs in through the form and waits for the Overview.</summary>
    public async Task SignInAsync(string apiKey)
    {
        await GotoAsync("/login");
        await Page.GetByLabel("API key").FillAsync(apiKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }).WaitForAsync();
    }

    /// <summary>Saves a screenshot under docs/screenshots/ (shown in the README).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var directory = Path.Combine(PlatformOptions.FindRepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(directory);
        await Page.EvaluateAsync("() => window.scrollTo(0, 0)"); // a sticky element would be drawn where the page was scrolled
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = true });
    }

    public void AssertNoConsoleErrors()
    {
        lock (_errors) Assert.True(_errors.Count == 0, "browser console errors: " + string.Join(Environment.NewLine, _errors));
        lock (_elsewhere) Assert.True(_elsewhere.Count == 0, "the console asked another host for: " + string.Join(", ", _elsewhere));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

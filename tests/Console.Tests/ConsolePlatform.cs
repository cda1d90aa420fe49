using System.Net.Http.Headers;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Console.Tests;

/// <summary>The whole platform with the console in it, as AppHost runs it; the live count refreshes every second; loopback webhooks are allowed.</summary>
public sealed class ConsolePlatform : PlatformFixture
{
    private readonly SemaphoreSlim _recording = new(1, 1);
    private string? _devSession;

    protected override Dictionary<string, string?> Environment => new()
    {
        ["Console__LiveRefreshInterval"] = "00:00:01",
        // The Tools page test registers a webhook served by the test on loopback (plain http, allow-listed).
        ["Tools__Webhooks__AllowedTargets__0"] = "127.0.0.1",
    };

    /// <summary>A recorded two-turn session of the development tenant, run once for the tests that read it.</summary>
    public async Task<string> DevSessionAsync()
    {
        await _recording.WaitAsync();
        try
        {
            return _devSession ??= await RecordedSessions.RunAsync(this, Endpoints.DevApiKey, "hello there", "tell me the second thing");
        }
        finally
        {
            _recording.Release();
        }
    }

    /// <summary>A new tenant's key, through the operator API.</summary>
    public async Task<string> CreateTenantKeyAsync(string name) => (await CreateTenantAsync(name)).Key;

    /// <summary>A new tenant and its key, through the operator API.</summary>
    public async Task<(Guid TenantId, string Key)> CreateTenantAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Endpoints.OperatorKey);
        var (id, _, key) = await TenantSetup.CreateTenantWithKeyAsync(http, name, "console-test");
        return (Guid.Parse(id), key);
    }
}

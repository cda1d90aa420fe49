using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>
/// Two Gateway processes sharing one database and the test Redis, like two replicas behind a load balancer, with a
/// short slot lease. No Router and no Billing run: admission happens before a session needs either (the budget check
/// finds Billing unreachable and admits), and an admitted socket stays open while it waits for a Router.
/// </summary>
public sealed class SessionLimitsTestContext : IAsyncLifetime
{
    public const string OperatorKey = "limits-test-operator-key";
    public static readonly TimeSpan SlotLease = TimeSpan.FromSeconds(3);

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Gateway__SessionLimits__SlotLease"] = SlotLease.ToString(),
        ["Gateway__SessionLimits__BudgetCheckTimeout"] = "00:00:00.500",
        ["Gateway__Realtime__ReattachTimeout"] = "00:10:00",
        // A Router address that refuses connections: an admitted session keeps retrying (and holding its slot).
        ["services__router__grpc__0"] = $"http://127.0.0.1:{VoicePlatform.AppHost.Resources.FreePorts.Next()}",
        ["services__billing__grpc__0"] = $"http://127.0.0.1:{VoicePlatform.AppHost.Resources.FreePorts.Next()}",
    };

    private GatewayProcess? _first;
    private GatewayProcess? _second;

    public GatewayProcess First => _first ?? throw new InvalidOperationException("not initialised");
    public GatewayProcess Second => _second ?? throw new InvalidOperationException("not initialised");
    public string DatabaseConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var services = await BackingServices.GetAsync();
        DatabaseConnectionString = services.NewDatabaseConnectionString("gateway");
        _first = await GatewayProcess.StartAsync(DatabaseConnectionString, OperatorKey, Settings);
        _second = await GatewayProcess.StartAsync(DatabaseConnectionString, OperatorKey, Settings); // migrated by the first
    }

    public Task<GatewayProcess> StartAnotherAsync() => GatewayProcess.StartAsync(DatabaseConnectionString, OperatorKey, Settings);

    public HttpClient Operator()
    {
        var client = new HttpClient { BaseAddress = new Uri(First.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return client;
    }

    public async Task<string> NewTenantAsync()
    {
        using var admin = Operator();
        return await TenantSetup.CreateTenantAsync(admin, "Limited");
    }

    public async Task<(string KeyId, string ApiKey)> NewKeyAsync(string tenantId)
    {
        using var admin = Operator();
        return await TenantSetup.IssueKeyAsync(admin, tenantId, "limited");
    }

    public async Task SetLimitsAsync(string path, object limits)
    {
        using var admin = Operator();
        using var response = await admin.PutAsJsonAsync(path, limits);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An admitted session: the WebSocket handshake succeeded (close it to end the session).</summary>
    public static async Task<ClientWebSocket> OpenSessionAsync(GatewayProcess gateway, string apiKey, string model = "gpt-realtime-2")
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {apiKey}");
        await socket.ConnectAsync(new Uri($"{gateway.Url.Replace("http://", "ws://")}/v1/realtime?model={model}"), CancellationToken.None);
        return socket;
    }

    public static async Task CloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        socket.Dispose();
    }

    /// <summary>A handshake expected to be refused (its status and OpenAI error body).</summary>
    public static Task<HandshakeAttempt> AttemptAsync(GatewayProcess gateway, string apiKey, string model = "gpt-realtime-2") =>
        HandshakeAttempt.SendAsync($"{gateway.Url}/v1/realtime?model={model}", apiKey);

    public async Task DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
    }
}

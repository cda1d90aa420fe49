using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.TestSupport;

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
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name = "Limited" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<(string KeyId, string ApiKey)> NewKeyAsync(string tenantId)
    {
        using var admin = Operator();
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "limited" });
        issued.EnsureSuccessStatusCode();
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
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

    /// <summary>
    /// A WebSocket handshake made by hand, to read the refusal's status, headers and body (a WebSocket client only
    /// reports the status). Returns 101 for an admitted session, whose connection is then dropped.
    /// </summary>
    public static async Task<Attempt> AttemptAsync(GatewayProcess gateway, string apiKey, string model = "gpt-realtime-2")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{gateway.Url}/v1/realtime?model={model}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.SwitchingProtocols) return new Attempt(response.StatusCode, default, null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return new Attempt(response.StatusCode, body, response.Headers.RetryAfter?.Delta);
    }

    public sealed record Attempt(HttpStatusCode Status, JsonElement Body, TimeSpan? RetryAfter)
    {
        public string Code => Body.GetProperty("error").GetProperty("code").GetString()!;
        public string Message => Body.GetProperty("error").GetProperty("message").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
    }
}

using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.AppHost;

/// <summary>The summary printed once everything is up.</summary>
public static class ResourceTable
{
    public static void Print(IEnumerable<(string Name, string State, string Address)> resources, PlatformEndpoints endpoints,
        string? dashboardLogin, string endpointsFile, TimeSpan startup)
    {
        var rows = resources.ToList();
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        var stateWidth = Math.Max(5, rows.Max(r => r.State.Length));
        Console.WriteLine();
        Console.WriteLine($"{"RESOURCE".PadRight(nameWidth)}  {"STATE".PadRight(stateWidth)}  ADDRESS");
        foreach (var (name, state, address) in rows)
            Console.WriteLine($"{name.PadRight(nameWidth)}  {state.PadRight(stateWidth)}  {address}");
        Console.WriteLine();
        Console.WriteLine($"Gateway:          {endpoints.Gateway}   {endpoints.GatewayTls}");
        Console.WriteLine($"Console:          {endpoints.Console}");
        Console.WriteLine($"Console sign-in:  {endpoints.ConsoleSignIn}   (one click signs the dev tenant in, once)");
        Console.WriteLine($"Realtime:         {endpoints.Gateway.Replace("http", "ws")}/v1/realtime?model=gpt-realtime-2");
        Console.WriteLine($"CA certificate:   {endpoints.CaCertificate}   (NODE_EXTRA_CA_CERTS for wss://)");
        Console.WriteLine($"Dev API key:      {endpoints.DevApiKey}");
        Console.WriteLine($"Dashboard:        {endpoints.Dashboard}");
        if (dashboardLogin is not null) Console.WriteLine($"Dashboard login:  {dashboardLogin}");
        Console.WriteLine($"Endpoints file:   {endpointsFile}");
        Console.WriteLine($"Started in {startup.TotalSeconds:0.0}s. Press Ctrl-C to stop everything.");
        Console.WriteLine();
    }
}

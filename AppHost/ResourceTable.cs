using VoicePlatform.AppHost.Platform;

namespace VoicePlatform.AppHost;

/// <summary>The summary printed once everything is up.</summary>
public static class ResourceTable
{
    public static void Print(PlatformRunner runner, PlatformEndpoints endpoints)
    {
        var rows = runner.Resources.Select(r => (r.Name, r.State.ToString(), r.DisplayAddress)).ToList();
        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        var stateWidth = Math.Max(5, rows.Max(r => r.Item2.Length));
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
        Console.WriteLine($"Endpoints file:   {runner.EndpointsFilePath}");
        Console.WriteLine($"Started in {runner.StartupDuration.TotalSeconds:0.0}s. Press Ctrl-C to stop everything.");
        Console.WriteLine();
    }
}

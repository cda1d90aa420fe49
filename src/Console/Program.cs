using VoicePlatform.Console;
using VoicePlatform.Console.Authentication;
using VoicePlatform.Console.Components;
using VoicePlatform.Console.Gateway;
using VoicePlatform.Console.Recordings;
using VoicePlatform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Static web assets (Fluent UI, blazor.web.js) from the build output when run as `dotnet <dll>` outside Development.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);

builder.AddConsoleAuthentication();   // cookie holding an opaque id; the ticket (with the API key) in Redis, or memory
builder.Services.AddGatewayApi();     // typed client for the Gateway's tenant and operator APIs, with the user's key
builder.Services.AddConsoleComponents(); // Blazor (server-rendered + interactive server) with Fluent UI

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseStatusCodePagesWithReExecute("/not-found");
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapSignInEndpoints();   // /login/one-time, /logout
app.MapRecordingProxy();    // /sessions/{id}/recording.wav (HTTP Range), /sessions/{id}/transcript.vtt
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

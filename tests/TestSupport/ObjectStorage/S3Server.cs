using VoicePlatform.AppHost.Platform;
using VoicePlatform.TestSupport.LocalServers;
using VoicePlatform.AppHost.Resources;
using Xunit;

namespace VoicePlatform.TestSupport.ObjectStorage;

/// <summary>
/// A real local S3-compatible server (s3rver, from tests/S3Server/node_modules) on a free loopback port with its own
/// empty data directory. Usable as an xunit class fixture; it starts no bucket, so tests create what they use.
/// The package is installed by <c>npm ci</c> in tests/S3Server (scripts/test.sh does it), never at test time.
/// The process is started through <see cref="ProcessLauncher"/>, so it dies with the test host even when that host is
/// killed, and <see cref="TestDirectories"/> sweeps a directory a killed run left behind.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    /// <summary>s3rver's fixed account: it checks signatures against these.</summary>
    public const string DefaultAccessKey = "S3RVER";
    public const string DefaultSecretKey = "S3RVER";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private ManagedProcess? _process;
    private FileLogSink? _log;
    private string? _directory;
    private string? _serviceUrl;

    public string ServiceUrl => _serviceUrl ?? throw new InvalidOperationException("S3 server not started.");
    public string AccessKey => DefaultAccessKey;
    public string SecretKey => DefaultSecretKey;

    public async Task InitializeAsync()
    {
        var script = Path.Combine(PlatformOptions.FindRepositoryRoot(), "tests", "S3Server", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException(
                $"s3rver is not installed ({script} is missing): run `npm ci` in tests/S3Server (scripts/test.sh does it).");

        _directory = TestDirectories.Create("s3rver");
        var data = Path.Combine(_directory, "data");
        _log = new FileLogSink(Path.Combine(_directory, "s3rver.log"));
        var port = FreePorts.Next();
        _process = new ManagedProcess(
            // --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3
            // (Node 17+) only offers through its legacy provider; without it every second page fails with a 500.
            new ProcessSpec("s3rver", "node", ["--openssl-legacy-provider", script, "--directory", data, "--address", "127.0.0.1", "--port", port.ToString(), "--silent"])
            {
                WorkingDirectory = _directory,
            },
            _log);
        _process.Start();
        _serviceUrl = $"http://127.0.0.1:{port}";
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Polls until any HTTP answer comes back (an unsigned request gets an S3 error document, which is enough).</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"s3rver exited at start:\n{string.Join('\n', _process.LastLines())}");
            try
            {
                using var _ = await http.GetAsync(ServiceUrl);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _log?.Dispose();
        if (_directory is not null)
            TestDirectories.TryDelete(_directory);
    }
}

using Xunit;

namespace VoicePlatform.TestSupport;

/// <summary>xunit fixture giving a test class the shared <see cref="BackingServices"/>.</summary>
public sealed class BackingServicesFixture : IAsyncLifetime
{
    private BackingServices? _services;

    public BackingServices Services => _services ?? throw new InvalidOperationException("Fixture not initialised");

    public async Task InitializeAsync() => _services = await BackingServices.GetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}

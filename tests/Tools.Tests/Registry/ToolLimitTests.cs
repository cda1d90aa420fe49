using Grpc.Core;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Tests.Registry;

/// <summary>A Tools instance that allows only <see cref="Limit"/> tools per tenant.</summary>
public sealed class SmallToolLimitFixture : ToolsServiceFixture
{
    public const int Limit = 3;

    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Tools:MaxToolsPerTenant"] = Limit.ToString() };
}

public class ToolLimitTests(SmallToolLimitFixture fixture) : IClassFixture<SmallToolLimitFixture>
{
    private const string Url = "https://hooks.example.com/orders";
    private const int Limit = SmallToolLimitFixture.Limit;

    [Fact]
    public async Task At_the_limit_a_create_is_refused_naming_the_limit_and_deleting_one_makes_room()
    {
        var tenant = Guid.NewGuid();
        for (var i = 0; i < Limit; i++) await fixture.RegisterAsync(tenant, $"tool_{i}", Url);

        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(tenant, "one_too_many", Url));
        // INVALID_ARGUMENT is what the Gateway turns into a 400 carrying this message; no field is at fault.
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"maximum of {Limit} tools", error.Status.Detail);
        Assert.Null(error.Trailers.GetValue("param"));
        Assert.Equal(Limit, await CountAsync(tenant));

        // The limit is per tenant.
        await fixture.RegisterAsync(Guid.NewGuid(), "one_too_many", Url);

        await fixture.Client.DeleteToolAsync(new DeleteToolRequest { TenantId = tenant.ToString(), Name = "tool_0" });
        await fixture.RegisterAsync(tenant, "one_too_many", Url);
        Assert.Equal(Limit, await CountAsync(tenant));
        Assert.Equal(StatusCode.InvalidArgument,
            (await Assert.ThrowsAsync<RpcException>(() => fixture.RegisterAsync(tenant, "and_another", Url))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_creates_never_exceed_the_limit()
    {
        const int attempts = 4 * Limit;
        for (var round = 0; round < 3; round++)
        {
            var tenant = Guid.NewGuid();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, attempts).Select(async i =>
            {
                try
                {
                    await fixture.RegisterAsync(tenant, $"parallel_{i}", Url);
                    return StatusCode.OK;
                }
                catch (RpcException ex)
                {
                    return ex.StatusCode;
                }
            }));

            Assert.Equal(Limit, outcomes.Count(s => s == StatusCode.OK));
            Assert.All(outcomes.Where(s => s != StatusCode.OK), s => Assert.Equal(StatusCode.InvalidArgument, s));
            Assert.Equal(Limit, await CountAsync(tenant));
        }
    }

    private async Task<int> CountAsync(Guid tenant) =>
        (await fixture.Client.ListRegisteredToolsAsync(new ListRegisteredToolsRequest { TenantId = tenant.ToString() })).Tools.Count;
}

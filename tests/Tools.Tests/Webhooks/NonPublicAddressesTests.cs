using System.Net;
using Microsoft.Extensions.Options;
using VoicePlatform.Tools.Webhooks;

namespace VoicePlatform.Tools.Tests.Webhooks;

public class NonPublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 form of 169.254.169.254
    public void Non_public_addresses_are_recognised(string address) =>
        Assert.True(NonPublicAddresses.Contains(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::6810:85e5")]
    [InlineData("::ffff:93.184.216.34")]
    public void Public_addresses_are_not(string address) =>
        Assert.False(NonPublicAddresses.Contains(IPAddress.Parse(address)), address);

    [Fact]
    public async Task The_allow_list_admits_hosts_addresses_and_ranges()
    {
        var policy = new WebhookTargetPolicy(Options.Create(new WebhookOptions { AllowedTargets = ["hooks.internal", "127.0.0.1", "10.20.0.0/16"] }), new DnsWebhookHostResolver());

        Assert.Null(policy.FindProblem(new Uri("http://127.0.0.1:8080/x")));
        Assert.Null(policy.FindProblem(new Uri("http://hooks.internal/x")));
        Assert.Null(policy.FindProblem(new Uri("https://10.20.3.4/x")));
        Assert.NotNull(policy.FindProblem(new Uri("https://10.21.0.1/x")));
        Assert.NotNull(policy.FindProblem(new Uri("https://127.0.0.2/x")));
        Assert.NotNull(policy.FindProblem(new Uri("http://example.com/x")));
        Assert.Null(policy.FindProblem(new Uri("https://example.com/x")));

        Assert.Equal([IPAddress.Loopback], await policy.ResolvePermittedAsync("127.0.0.1", CancellationToken.None));
        Assert.Equal([IPAddress.Parse("::ffff:127.0.0.1")], await policy.ResolvePermittedAsync("::ffff:127.0.0.1", CancellationToken.None));
        await Assert.ThrowsAsync<ForbiddenTargetException>(() => policy.ResolvePermittedAsync("169.254.169.254", CancellationToken.None));
        await Assert.ThrowsAsync<ForbiddenTargetException>(() => policy.ResolvePermittedAsync("[::1]", CancellationToken.None));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_forbidden_without_the_allow_list()
    {
        var policy = new WebhookTargetPolicy(Options.Create(new WebhookOptions()), new DnsWebhookHostResolver());
        var error = await Assert.ThrowsAsync<ForbiddenTargetException>(() => policy.ResolvePermittedAsync("localhost", CancellationToken.None));
        Assert.Contains("localhost", error.Message);
    }
}

namespace VoicePlatform.AppHost.Tests;

public class CommandLineTests
{
    [Fact]
    public void Defaults_match_the_documented_gateway_ports()
    {
        var options = CommandLine.Parse([]);
        Assert.Equal(5080, options.GatewayPort);
        Assert.Equal(5443, options.GatewayTlsPort);
        Assert.False(options.Reset);
        Assert.Equal(2, options.RouterReplicas);
    }

    [Fact]
    public void Parses_every_option()
    {
        var options = CommandLine.Parse(["--gateway-port", "6000", "--gateway-tls-port", "6443", "--reset", "--state-dir", "/tmp/x", "--router-replicas", "3"]);
        Assert.Equal(new CommandLine(6000, 6443, true, "/tmp/x", RouterReplicas: 3), options);
    }

    [Theory]
    [InlineData("--gateway-port")]
    [InlineData("--gateway-port", "abc")]
    [InlineData("--gateway-port", "70000")]
    [InlineData("--router-replicas", "0")]
    [InlineData("--router-replicas", "x")]
    [InlineData("--unknown")]
    public void Rejects_bad_input_with_usage(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.Contains("usage:", error.Message);
    }
}

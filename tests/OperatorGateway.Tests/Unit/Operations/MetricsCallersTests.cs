using System.Net;
using TicketGateway.OperatorGateway.Operations;

namespace TicketGateway.OperatorGateway.Tests.Unit.Operations;

/// <summary>Who gets <c>/metrics</c>: loopback and <c>Operations:Metrics:AllowFrom</c>; everyone else the 403.</summary>
public sealed class MetricsCallersTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("::ffff:10.0.0.5", true)]
    [InlineData("2001:db8::7", true)]
    [InlineData("10.0.0.6", false)]
    [InlineData("::ffff:10.0.0.6", false)]
    [InlineData("192.168.1.5", false)]
    [InlineData("2001:db8::8", false)]
    public void Allows_LoopbackAndListedOnly(string caller, bool allowed) =>
        Assert.Equal(allowed, new MetricsCallers(["10.0.0.5", "2001:db8::7"]).Allows(IPAddress.Parse(caller)));

    [Fact]
    public void Allows_NothingListed_LoopbackOnly()
    {
        var callers = new MetricsCallers([]);
        Assert.True(callers.Allows(IPAddress.Loopback));
        Assert.False(callers.Allows(IPAddress.Parse("10.0.0.5")));
        Assert.False(callers.Allows(null));
    }

    [Fact]
    public void AllowFrom_NotAnAddress_IsRefusedWithOneSentenceNamingIt()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new MetricsCallers(["10.0.0.5", "prometheus.local"]));
        Assert.Equal("Operations:Metrics:AllowFrom: 'prometheus.local' is not an IP address.", ex.Message);
    }
}

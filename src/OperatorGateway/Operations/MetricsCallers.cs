using System.Net;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Who may scrape <c>/metrics</c>: loopback callers and the addresses in <c>Operations:Metrics:AllowFrom</c>.</summary>
internal sealed class MetricsCallers(IEnumerable<string> allowFrom)
{
    public const string Refusal = "/metrics answers loopback callers and Operations:Metrics:AllowFrom only.\n";

    private readonly HashSet<IPAddress> _allowed = [.. allowFrom.Select(a => IPAddress.TryParse(a, out var ip)
        ? Plain(ip)
        : throw new InvalidDataException($"Operations:Metrics:AllowFrom: '{a}' is not an IP address."))];

    public bool Allows(IPAddress? remote) => remote is not null && (IPAddress.IsLoopback(Plain(remote)) || _allowed.Contains(Plain(remote)));

    // A dual-stack socket reports an IPv4 caller as ::ffff:a.b.c.d.
    private static IPAddress Plain(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}

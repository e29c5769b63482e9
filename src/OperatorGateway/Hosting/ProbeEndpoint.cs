namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// Metadata on the probes (<c>/healthz</c>, <c>/readyz</c>): answered on every endpoint, the web
/// endpoint's plain HTTP/1.1 for load balancers and curl as well as the gRPC endpoint's HTTP/2.
/// </summary>
internal sealed class ProbeEndpoint
{
    public static readonly ProbeEndpoint Instance = new();
}

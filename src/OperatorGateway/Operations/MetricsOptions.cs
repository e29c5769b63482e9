namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Configuration section <c>Operations:Metrics</c>: the Prometheus scrape endpoint <c>/metrics</c> on the web endpoint.</summary>
internal sealed class MetricsOptions
{
    /// <summary>False: no metrics are collected and <c>/metrics</c> does not exist.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Addresses besides loopback that may scrape <c>/metrics</c> (a Prometheus server on another host), e.g. <c>10.0.0.5</c>.</summary>
    public List<string> AllowFrom { get; set; } = [];
}

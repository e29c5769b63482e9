namespace TicketGateway.OperatorGateway.Web;

/// <summary>Metadata on every route of the web console: answered on the web endpoint only.</summary>
internal sealed class WebConsoleEndpoint
{
    public static readonly WebConsoleEndpoint Instance = new();
}

using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// Kestrel's endpoint named <c>Web</c>: its connections are marked, so the console's pages answer only
/// there and the gRPC endpoint's services only elsewhere; after binding it knows its address (port 0 included).
/// </summary>
internal sealed class WebEndpoint
{
    public const string Name = "Web";

    // The key of the mark in the connection's items; HTTP/1.1 requests and HTTP/2 streams both see them.
    private const string Mark = "ticketgw.web-console";

    private ListenOptions? _listen;
    private bool _https;

    /// <summary>True when the request came in on the web endpoint.</summary>
    public static bool Serves(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Mark) == true;

    /// <summary>The bound address (http://127.0.0.1:5081), once Kestrel listens; null before or when not configured.</summary>
    public string? Url => _listen?.IPEndPoint is { } ip ? $"{(_https ? "https" : "http")}://{ip}" : null;

    public void Configure(KestrelServerOptions kestrel) =>
        kestrel.ConfigurationLoader?.Endpoint(Name, endpoint =>
        {
            _listen = endpoint.ListenOptions;
            _https = endpoint.IsHttps;
            endpoint.ListenOptions.Use(next => connection =>
            {
                connection.Items[Mark] = true;
                return next(connection);
            });
        });
}

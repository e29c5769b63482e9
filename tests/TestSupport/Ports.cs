using System.Net;
using System.Net.Sockets;

namespace TicketGateway.TestSupport;

internal static class Ports
{
    /// <summary>A loopback port nothing listens on (the OS handed it out, then it was closed): connections are refused.</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System.Globalization;
using System.Security.Cryptography;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// This process as one node of the desk: machine, process id and a random part, so a restarted
/// process (same machine, maybe the same pid) is a new node and never mistakes an old claim for its own.
/// </summary>
public static class NodeIdentity
{
    /// <summary>The node's id, e.g. <c>gw1:4711:9f3c</c>; recorded with leases and claims.</summary>
    public static string Id { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}:{Environment.ProcessId}:{RandomNumberGenerator.GetHexString(4, lowercase: true)}");
}

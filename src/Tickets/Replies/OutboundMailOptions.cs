namespace TicketGateway.Tickets.Replies;

/// <summary>Configuration section <c>Mail:Outbound</c>: limits of the mail we send.</summary>
public sealed class OutboundMailOptions
{
    /// <summary>
    /// The most bytes of files one mail may carry, all together (before MIME's base64, which adds a
    /// third); a reply with more is refused. 10 MiB by default, what most receiving servers accept
    /// after encoding.
    /// </summary>
    public long MaxAttachmentBytes { get; set; } = 10L * 1024 * 1024;
}

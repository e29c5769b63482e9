namespace TicketGateway.Tickets;

/// <summary>What the customer wants, in the plan's four categories (咨询, 费用查询, 申告, 投诉).</summary>
public enum TicketKind
{
    /// <summary>A question about a service (咨询).</summary>
    Inquiry,

    /// <summary>A fee inquiry (费用查询).</summary>
    Fee,

    /// <summary>A problem report (申告).</summary>
    Report,

    /// <summary>A complaint (投诉); only complaints carry a level.</summary>
    Complaint,
}

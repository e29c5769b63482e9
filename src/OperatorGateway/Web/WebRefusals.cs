using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>The HTTP status a page answers with when a domain service refuses an action.</summary>
internal static class WebRefusals
{
    public static int Status(TicketException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Error switch
        {
            TicketError.NotFound => StatusCodes.Status404NotFound,
            TicketError.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
    }
}

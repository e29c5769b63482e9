using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Web.Pages.Duty;

/// <summary>One local day of the coming week: the part of it inside the week, its shifts and its uncovered spans.</summary>
internal sealed record DutyDay(
    DateOnly Date,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<(DutyPerson Person, DateTimeOffset From, DateTimeOffset To)> Shifts,
    IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps);

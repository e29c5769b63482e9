namespace TicketGateway.Tickets.Kpis;

/// <summary>Contacts on one local day.</summary>
/// <param name="Day">The local date.</param>
/// <param name="Counts">Count per channel name (<c>email</c>, <c>operator</c>, <c>phone</c>, <c>hotline-calls</c>).</param>
public sealed record DailyVolume(DateOnly Day, IReadOnlyDictionary<string, long> Counts);

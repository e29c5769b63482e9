namespace TicketGateway.Tickets.Sla;

/// <summary>One year of the official working calendar: public holidays and make-up working days (调休).</summary>
/// <param name="Year">The calendar year.</param>
/// <param name="Source">Where the data came from (the notice, or the file it was read from).</param>
/// <param name="Holidays">Days off, as inclusive spans.</param>
/// <param name="MakeUpDays">Weekend days declared working days.</param>
public sealed record CalendarYear(
    int Year,
    string Source,
    IReadOnlyList<Holiday> Holidays,
    IReadOnlyList<MakeUpDay> MakeUpDays);

/// <summary>A public holiday span, both ends included.</summary>
public sealed record Holiday(string Name, DateOnly From, DateOnly To);

/// <summary>A weekend day that is a working day to make up for a holiday.</summary>
public sealed record MakeUpDay(DateOnly Date, string For);

namespace TicketGateway.Tickets.Duty;

/// <summary>One person on the roster.</summary>
public sealed class DutyPerson
{
    /// <summary>Shown to the operator and in alerts.</summary>
    public string Name { get; set; } = "";

    /// <summary>Where reminder and breach mails go.</summary>
    public string? Email { get; set; }

    /// <summary>Mobile number, mentioned in chat alerts.</summary>
    public string? Mobile { get; set; }

    /// <summary>Regular shifts.</summary>
    public List<DutyShift> Shifts { get; set; } = [];

    /// <summary>Dates that differ from the regular shifts.</summary>
    public List<DutyDateChange> Exceptions { get; set; } = [];
}

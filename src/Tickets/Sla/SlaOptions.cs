using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TicketGateway.Tickets.Sla;

/// <summary>Configuration section <c>Sla</c>: time zone, calendar files, first-reply times.</summary>
public sealed class SlaOptions : IValidatableObject
{
    /// <summary>The section name.</summary>
    public const string Section = "Sla";

    /// <summary>IANA time zone of the desk; working days and months are counted in it.</summary>
    [Required(ErrorMessage = "must be set, e.g. Asia/Shanghai")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Extra calendar years (JSON files); a year here replaces the shipped one.</summary>
    public List<string> CalendarFiles { get; set; } = [];

    /// <summary>First-reply time per kind.</summary>
    [ValidateObjectMembers]
    public FirstReplyOptions FirstReply { get; set; } = new();

    /// <summary>Checks what attributes cannot: that the time zone exists.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(TimeZone) && !System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"must name a time zone known to this machine (e.g. Asia/Shanghai), not '{TimeZone}'", [nameof(TimeZone)]);
        }
    }

    /// <summary>The desk's time zone.</summary>
    public TimeZoneInfo Zone() => System.TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>Configuration section <c>Sla:FirstReply</c>: how soon each kind must get its first reply.</summary>
public sealed class FirstReplyOptions
{
    /// <summary>Inquiries (咨询).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Inquiry { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Fee inquiries (费用查询).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Fee { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Problem reports (申告).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Report { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Complaints (投诉).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Complaint { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The reply time of one kind.</summary>
    public TimeSpan For(TicketKind kind) => kind switch
    {
        TicketKind.Inquiry => Inquiry,
        TicketKind.Fee => Fee,
        TicketKind.Report => Report,
        _ => Complaint,
    };
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Configuration section <c>Operations</c>: the daily inspection (巡检) and fault alerts.</summary>
internal sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>When <c>serve</c> runs the daily inspection, a time of day in <c>Sla:TimeZone</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan InspectionTime { get; set; } = TimeSpan.FromHours(9);

    /// <summary>The SMTP server or an operator endpoint failing between inspections this long raises a fault alert; the mailbox (a refused login) at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FaultAlertAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often <c>serve</c> looks at the mailbox login, the SMTP server and the operator endpoints between inspections.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FaultCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest one check may take; it is then reported failed and the others go on.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A disk with less than this share free is a warning.</summary>
    [Range(0.0, 1.0)]
    public double DiskWarningFree { get; set; } = 0.15;

    /// <summary>A disk with less than this share free is a failure.</summary>
    [Range(0.0, 1.0)]
    public double DiskFailureFree { get; set; } = 0.05;

    /// <summary>Mail waiting in the intake folder longer than this is a warning (the intake is behind or stopped).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IntakeLagWarning { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Mail in the outbox unsent, or an alert's chat post pending, longer than this is stuck.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan OutboxStuckAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A running complaint due within this is reported as near its deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DeadlineNearWithin { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The Prometheus scrape endpoint.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>A TLS certificate that ends within this is a warning.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan CertificateWarning { get; set; } = TimeSpan.FromDays(30);
}

[OptionsValidator]
internal sealed partial class OperationsOptionsValidator : IValidateOptions<OperationsOptions>;

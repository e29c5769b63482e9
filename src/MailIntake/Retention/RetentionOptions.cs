using System.ComponentModel.DataAnnotations;

namespace TicketGateway.MailIntake.Retention;

/// <summary>
/// Configuration section <c>Retention</c>: how long raw customer mail is kept. Tickets, their messages and
/// attachments are never purged (every contact stays for follow-up); only the raw bytes of the mail they
/// came from go, with their spool files.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Retention";

    /// <summary>Days the raw bytes of processed mail (and spool files) are kept; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int RawMailDays { get; set; } = 180;

    /// <summary>Days a discarded quarantine entry (and its raw mail) is kept after it was discarded; 0 keeps them forever.</summary>
    [Range(0, 36500)]
    public int QuarantineDays { get; set; } = 90;

    /// <summary>How often the purge runs (daily; the first run is at start).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}

[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class RetentionOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>;

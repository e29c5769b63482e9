using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.MailIntake.Smtp;

/// <summary>Configuration section <c>Mail:Smtp</c>: the server outgoing mail is delivered to. Without <see cref="Host"/> nothing is sent (mail waits in the outbox).</summary>
public sealed class SmtpOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Mail:Smtp";

    /// <summary>The SMTP server.</summary>
    [Required(ErrorMessage = "must be set to the SMTP server's host name")]
    public string Host { get; set; } = "";

    /// <summary>Its port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>None, SslOnConnect, StartTls, StartTlsWhenAvailable or Auto.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>The login; no authentication when empty.</summary>
    public string? Username { get; set; }

    /// <summary>The password (from configuration only; never logged).</summary>
    public string? Password { get; set; }

    /// <summary>How long one SMTP command may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox is looked at when nothing wakes the sender (mail queued by another process, e.g. the CLI).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deprecated alias of <see cref="RetryBaseDelay"/> (<c>Mail:Smtp:RetryMin</c>).</summary>
    public TimeSpan RetryMin { get => RetryBaseDelay; set => RetryBaseDelay = value; }

    /// <summary>Deprecated alias of <see cref="RetryMaxDelay"/> (<c>Mail:Smtp:RetryMax</c>).</summary>
    public TimeSpan RetryMax { get => RetryMaxDelay; set => RetryMaxDelay = value; }

    // The aliases above come first: the configuration binder sets properties in declaration order,
    // so a new key set next to its old one wins.

    /// <summary>The wait after the first failure (server down, 4xx); it doubles per further failure up to <see cref="RetryMaxDelay"/>, +-20 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts while the server is down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The backoff between attempts (connections and 4xx answers).</summary>
    public BackoffPolicy RetryBackoff() => new(RetryBaseDelay, RetryMaxDelay);

    /// <summary>How many mails are taken from the outbox per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;
}

using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.MailIntake.Imap;

/// <summary>Configuration section <c>Mail:Imap</c>: the support mailbox. No <see cref="Host"/>, no intake.</summary>
public sealed class ImapOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Mail:Imap";

    /// <summary>The IMAP server; empty turns mail intake off.</summary>
    public string? Host { get; set; }

    /// <summary>The port; 0 picks 993 for <see cref="MailSecurity.SslOnConnect"/> and 143 otherwise.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>How the connection is secured.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    /// <summary>The login name.</summary>
    public string? Username { get; set; }

    /// <summary>The password; configuration only, never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Where new mail arrives.</summary>
    [Required(ErrorMessage = "must name a folder, e.g. \"INBOX\"")]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where processed mail goes; created if missing.</summary>
    [Required(ErrorMessage = "must name a folder, e.g. \"Processed\"")]
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where mail that could not be processed goes; created if missing.</summary>
    [Required(ErrorMessage = "must name a folder, e.g. \"Quarantine\"")]
    public string QuarantineFolder { get; set; } = "Quarantine";

    /// <summary>How often the folder is swept by UID, IDLE or not (the sweep is the truth, IDLE only a hint).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>IDLE is re-issued this often (RFC 2177 allows 29 minutes; some servers drop idle connections after 10).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:29:00")]
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>Mail bigger than this (bytes) is not processed: its raw bytes are kept and it is quarantined.</summary>
    [Range(1024, 1L << 31)]
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>Most mails fetched and committed together.</summary>
    [Range(1, 5000)]
    public int FetchBatch { get; set; } = 500;

    /// <summary>Deprecated alias of <see cref="RetryMaxDelay"/> (<c>Mail:Imap:ReconnectMaxDelay</c>).</summary>
    public TimeSpan ReconnectMaxDelay { get => RetryMaxDelay; set => RetryMaxDelay = value; }

    // The alias above comes first: the configuration binder sets properties in declaration order,
    // so a new key set next to its old one wins.

    /// <summary>The wait before the first reconnect after a lost connection; it doubles per further failure up to <see cref="RetryMaxDelay"/>, +-20 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The backoff between reconnect attempts.</summary>
    public BackoffPolicy RetryBackoff() => new(RetryBaseDelay, RetryMaxDelay);

    /// <summary>The wait before trying again after the server refused the login.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthRetryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the mail-intake leader lease runs unless renewed: with several nodes on PostgreSQL a
    /// killed leader is replaced within about 1.2 times this (renewed every third, tried every fifth).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LeaderLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The port actually used.</summary>
    public int EffectivePort => Port != 0 ? Port : Security == MailSecurity.SslOnConnect ? 993 : 143;

    /// <summary>MailKit's name for <see cref="Security"/>.</summary>
    public SecureSocketOptions SocketOptions => Security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>Whether a mailbox is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// The database engine: <c>Sqlite</c> (the embedded default) or <c>PostgreSQL</c> (several gateway
    /// nodes on one database). Names are matched without regard to case.
    /// </summary>
    [Required(ErrorMessage = "must be Sqlite or PostgreSQL")]
    [RegularExpression("(?i)^(sqlite|postgresql|postgres)$", ErrorMessage = "must be Sqlite or PostgreSQL")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>
    /// The connection string in the provider's own format. SQLite: A relative <c>Data Source</c> is taken from the current directory,
    /// so the server and the CLI started in the same place share one database. PostgreSQL: Npgsql's
    /// format, including multi-host strings (<c>Host=db1,db2;Target Session Attributes=read-write</c>).
    /// </summary>
    [Required(ErrorMessage = "must be set, e.g. \"Data Source=data/ticketgw.db\"")]
    public string ConnectionString { get; set; } = "Data Source=data/ticketgw.db";

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    public bool IsPostgres => Provider.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>How long a writer waits for another process's write lock.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most changes committed together in one transaction (group commit).</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}

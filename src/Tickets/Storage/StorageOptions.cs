using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// SQLite connection string. A relative <c>Data Source</c> is taken from the current directory,
    /// so the server and the CLI started in the same place share one database.
    /// </summary>
    [Required(ErrorMessage = "must be set, e.g. \"Data Source=data/ticketgw.db\"")]
    public string ConnectionString { get; set; } = "Data Source=data/ticketgw.db";

    /// <summary>How long a writer waits for another process's write lock.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most changes committed together in one transaction (group commit).</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}

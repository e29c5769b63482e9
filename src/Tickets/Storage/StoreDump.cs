namespace TicketGateway.Tickets.Storage;

/// <summary>A dump of the whole store taken by <see cref="StoreBackup"/>: what is in it, read in the dump's own snapshot.</summary>
/// <param name="Engine"><c>Sqlite</c> (a SQLite database file) or <c>PostgreSQL</c> (<c>pg_dump</c>'s custom format).</param>
/// <param name="Source">The store as users name it: a file path, or host, port and database.</param>
/// <param name="Tables">Rows per table in the dump.</param>
/// <param name="SchemaSteps">The schema steps applied to the dumped store.</param>
public sealed record StoreDump(string Engine, string Source, IReadOnlyDictionary<string, long> Tables, IReadOnlyList<string> SchemaSteps)
{
    /// <summary>The engine name of a SQLite dump.</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>The engine name of a PostgreSQL dump.</summary>
    public const string Postgres = "PostgreSQL";

    /// <summary>All rows of all tables.</summary>
    public long Rows => Tables.Values.Sum();
}

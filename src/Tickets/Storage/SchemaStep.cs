using System.Security.Cryptography;
using System.Text;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// One schema step: applied once, never edited after release. <see cref="Checksum"/> is recorded
/// with it, so a store whose step was applied from other SQL stops start-up.
/// </summary>
/// <param name="Version">The step's place in the one global order of all modules' steps.</param>
/// <param name="Name">What the step does, as recorded in <c>schema_migrations</c>.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed record SchemaStep(int Version, string Name, string Sql)
{
    /// <summary>
    /// SHA-256 of <see cref="Sql"/> as lowercase hex, with line endings normalised to LF so a
    /// checkout with CRLF (git on Windows) has the same checksum.
    /// </summary>
    public string Checksum { get; } = Hash(Sql);

    /// <summary>
    /// PostgreSQL's own statements for a step that has no translation (SQLite's FTS5 index there,
    /// <c>pg_trgm</c> here); null when PostgreSQL runs the translated <see cref="Sql"/>.
    /// </summary>
    public string? PostgresSql { get; init; }

    /// <summary>The statements as <paramref name="dialect"/> runs them (SQLite's are <see cref="Sql"/> itself).</summary>
    public string SqlFor(SqlDialect dialect) =>
        dialect == SqlDialect.Sqlite ? Sql : PostgresSql ?? dialect.Translate(Sql);

    /// <summary>The checksum recorded on <paramref name="dialect"/>: of the statements that engine ran.</summary>
    public string ChecksumFor(SqlDialect dialect) =>
        dialect == SqlDialect.Sqlite ? Checksum : Hash(SqlFor(dialect));

    private static string Hash(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
}

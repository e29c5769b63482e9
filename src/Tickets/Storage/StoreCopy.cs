using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Copies a whole ticket store (normally a SQLite desk) into an empty PostgreSQL database: the target
/// gets its schema from the normal schema steps, then every table's rows with their ids in one
/// transaction, identity sequences past the highest id, and the row counts of both sides compared
/// before the commit (a difference rolls the rows back).
/// </summary>
/// <remarks>
/// The source is read in one snapshot (<see cref="SqlDialect.BeginSnapshot"/>): on SQLite a read
/// transaction in WAL mode sees the store as it was at its first read while a running gateway keeps
/// writing, so a served desk is copied consistently; what the gateway writes after that is not in the copy.
/// </remarks>
public static class StoreCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> (opened with every module, so its pending schema steps are
    /// applied) into the PostgreSQL database <paramref name="target"/> names, creating the schema of
    /// <paramref name="modules"/> there first.
    /// </summary>
    /// <exception cref="StoreCopyRefusedException">The target already holds a ticket store or rows.</exception>
    /// <exception cref="StoreException">The target cannot be reached or used, or the schemas differ.</exception>
    public static async Task<StoreCopyResult> RunAsync(TicketDatabase source, string target, IEnumerable<SchemaModule> modules, ILogger<TicketDatabase> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(modules);
        var builder = Target(target);
        var name = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";

        using var sourceConnection = source.Open();
        using var snapshot = source.Dialect.BeginSnapshot(sourceConnection);
        var tables = Names(sourceConnection, snapshot, source.Dialect.TablesSql);
        var sourceSteps = Names(sourceConnection, snapshot, "SELECT version FROM schema_migrations ORDER BY version");
        var sourceCounts = tables.ToDictionary(t => t, t => (long)sourceConnection.Scalar($"SELECT count(*) FROM {PostgresCopyTarget.Quote(t)}", snapshot)!);

        await PostgresCopyTarget.CheckEmptyAsync(builder.ConnectionString, name, tables, cancellationToken);
        await using var store = OpenTarget(builder.ConnectionString, name, modules, logger);
        await using var connection = (NpgsqlConnection)store.Open();
        CheckSameSchema(source.DataSource, name, tables, sourceSteps, Names(connection, null, SqlDialect.Postgres.TablesSql), Names(connection, null, "SELECT version FROM schema_migrations ORDER BY version"));

        try
        {
            return await CopyAsync(sourceConnection, snapshot, connection, tables, sourceCounts, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new StoreException($"storage copy: the copy into {name} (--to) failed and was rolled back, the target holds no rows: {ex.Message}", ex);
        }
    }

    private static async Task<StoreCopyResult> CopyAsync(DbConnection sourceConnection, DbTransaction snapshot, NpgsqlConnection connection, List<string> tables, Dictionary<string, long> sourceCounts, CancellationToken cancellationToken)
    {
        var order = PostgresCopyTarget.ParentsFirst(connection, tables);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var counts = new List<TableCount>(order.Count);
        foreach (var table in order)
        {
            var columns = PostgresCopyTarget.Columns(connection, transaction, table);
            var list = string.Join(", ", columns.Select(c => PostgresCopyTarget.Quote(c.Name)));
            using (var read = sourceConnection.Command($"SELECT {list} FROM {PostgresCopyTarget.Quote(table)}", snapshot))
            using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                await PostgresCopyTarget.ImportAsync(connection, table, columns, reader, cancellationToken);
            }

            PostgresCopyTarget.RestartIdentities(connection, transaction, table, columns);
            counts.Add(new TableCount(table, sourceCounts[table], (long)connection.Scalar($"SELECT count(*) FROM {PostgresCopyTarget.Quote(table)}", transaction)!));
        }

        var equal = counts.TrueForAll(c => c.Equal);
        if (equal)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return new StoreCopyResult(counts, equal);
    }

    private static NpgsqlConnectionStringBuilder Target(string target)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(target);
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"storage copy --to: not a PostgreSQL connection string (Npgsql's format, e.g. \"Host=db1;Database=ticketgw;Username=ticketgw\"): {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StoreException("storage copy --to: the connection string names no PostgreSQL host (Host=...).");
        }

        if (!target.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
        }

        return builder;
    }

    private static TicketDatabase OpenTarget(string connectionString, string name, IEnumerable<SchemaModule> modules, ILogger<TicketDatabase> logger)
    {
        try
        {
            return new TicketDatabase(new StorageOptions { Provider = "PostgreSQL", ConnectionString = connectionString }, logger, createIfMissing: true, modules);
        }
        catch (StoreException ex)
        {
            throw new StoreException($"storage copy --to {name}: {ex.Message}", ex);
        }
    }

    private static void CheckSameSchema(string source, string target, List<string> tables, List<string> steps, List<string> targetTables, List<string> targetSteps)
    {
        // The source was opened by this release with every module, so its pending steps are applied;
        // a step the target lacks was written by a newer release (or a module this one does not have).
        if (steps.Except(targetSteps).ToList() is { Count: > 0 } newer)
        {
            throw new StoreException($"storage copy: the ticket store {source} has schema steps {string.Join(", ", newer)} that this release does not know; copy it with the release that wrote it.");
        }

        if (tables.Except(targetTables).Concat(targetTables.Except(tables)).ToList() is { Count: > 0 } odd)
        {
            throw new StoreException($"storage copy: the tables of {source} and of the new schema on {target} differ ({string.Join(", ", odd)}); nothing was copied.");
        }
    }

    private static List<string> Names(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var names = new List<string>();
        using var command = connection.Command(sql, transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return names;
    }
}

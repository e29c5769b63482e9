using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Applies the schema steps of Tickets and of the modules the process registered that the store has
/// not seen yet, each in its own write transaction, with other processes held off (SQLite's write lock,
/// PostgreSQL's advisory lock) so two nodes starting together cannot both apply one, and checks the steps the store has seen against the code's checksums.
/// </summary>
/// <remarks>
/// <para>
/// Order: the pending steps of all modules known to this process run in ascending
/// <see cref="SchemaStep.Version"/>, one global order; a fresh store and an upgraded one therefore see
/// the same sequence. Numbering rule: a new step takes the next number above every existing step,
/// whatever module it belongs to (the per-module ranges 1-99, 100-199, ... of steps 1 to 402 are
/// history, kept because stores in the field recorded those numbers).
/// </para>
/// <para>
/// Fewer modules: a process with fewer modules (a tool or a test that opens the store with
/// <c>AddTickets()</c> alone) applies only the steps it knows and leaves the others pending; a later
/// process with more modules applies them when it first opens the store. Such a step then runs after
/// Tickets steps with higher numbers. That gives the same schema as the global order because of the
/// ownership rule: a module's step creates and changes only its own tables, and may read or write a
/// Tickets table only as a Tickets step with a lower number left it; a Tickets step never touches a
/// module's table and never drops or renames a column that a lower-numbered module step uses (today:
/// <c>outbox.status</c> and <c>last_error</c> written by MailIntake's 201, the <c>alerts</c> columns
/// written by the gateway's 403). Every process registers Tickets, so each Tickets step is in place
/// before any module step with a higher number. A test opens a store with Tickets alone, then with
/// every module, and compares the schema with a fresh store's.
/// </para>
/// <para>
/// Checksums: every applied step is recorded with <see cref="SchemaStep.Checksum"/>. A store written
/// before checksums existed gets them from the code on its first open (once, per known step); after
/// that a recorded checksum that differs from the code's stops the open with a
/// <see cref="StoreException"/> naming the step. Steps the store recorded that this process does not
/// know (another module's, or a newer release's) are left alone.
/// </para>
/// </remarks>
internal static class Migrations
{
    public static void Apply(DbConnection connection, StoreEngine engine, IReadOnlyList<SchemaStep> steps, string store, ILogger logger)
    {
        var dialect = engine.Dialect;
        if (UpToDate(connection, engine, steps))
        {
            return;
        }

        using var schemaLock = engine.LockSchema(connection);
        PrepareTable(connection, engine);
        Verify(connection, engine, steps, store, logger);

        foreach (var step in steps)
        {
            using var transaction = engine.BeginWrite(connection);
            var applied = connection.Scalar("SELECT 1 FROM schema_migrations WHERE version = @v", transaction, ("@v", step.Version));
            if (applied is not null)
            {
                continue;
            }

            using (var command = connection.Command(step.SqlFor(dialect), transaction))
            {
                // A step may build an index over a large store (step 551 takes minutes at a million
                // messages): it runs to its end, not to the timeout of one query.
                command.CommandTimeout = 0;
                command.ExecuteNonQuery();
            }

            connection.Execute(
                "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (@v, @n, @t, @c)",
                transaction,
                ("@v", step.Version),
                ("@n", step.Name),
                ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                ("@c", step.ChecksumFor(dialect)));
            transaction.Commit();
            Log.MigrationApplied(logger, step.Version, step.Name);
        }
    }

    /// <summary>Tickets' steps and the modules' in one ascending order; a number used twice is a programming error.</summary>
    internal static IReadOnlyList<SchemaStep> Ordered(IEnumerable<SchemaModule> modules)
    {
        var byVersion = new SortedDictionary<int, (SchemaStep Step, string Module)>();
        foreach (var module in modules.Prepend(Schema.Module).DistinctBy(m => m.Name))
        {
            foreach (var step in module.Steps)
            {
                if (byVersion.TryGetValue(step.Version, out var other))
                {
                    throw new InvalidOperationException($"Schema step {step.Version} is defined twice, by {other.Module} ({other.Step.Name}) and by {module.Name} ({step.Name}); a new step takes the next number above every existing one.");
                }

                byVersion.Add(step.Version, (step, module.Name));
            }
        }

        return [.. byVersion.Values.Select(v => v.Step)];
    }

    /// <summary>
    /// True when the store records every step of <paramref name="steps"/> with this release's checksum, so
    /// the open has nothing to apply, fill or refuse: found with two plain reads, without the schema lock
    /// or a write transaction (every CLI command opens the store; the server may be writing meanwhile).
    /// Anything else (a new store, a pending step, a missing or different checksum) takes the locked
    /// path below, which applies, fills or refuses exactly as before. Steps never leave the table, so a
    /// step seen applied here stays applied.
    /// </summary>
    private static bool UpToDate(DbConnection connection, StoreEngine engine, IReadOnlyList<SchemaStep> steps)
    {
        if (!engine.Dialect.HasColumn(connection, null, "schema_migrations", "checksum"))
        {
            return false;
        }

        var recorded = Recorded(connection, null);
        return steps.All(step => recorded.TryGetValue(step.Version, out var checksum)
            && string.Equals(checksum, step.ChecksumFor(engine.Dialect), StringComparison.Ordinal));
    }

    /// <summary>The applied steps' versions and recorded checksums (null: recorded before checksums existed).</summary>
    private static Dictionary<long, string?> Recorded(DbConnection connection, DbTransaction? transaction)
    {
        var recorded = new Dictionary<long, string?>();
        using var command = connection.Command("SELECT version, checksum FROM schema_migrations", transaction);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            recorded[reader.GetInt64(0)] = reader.StringOrNull(1);
        }

        return recorded;
    }

    /// <summary>Creates the table, or adds the checksum column to one written before checksums existed.</summary>
    private static void PrepareTable(DbConnection connection, StoreEngine engine)
    {
        using var transaction = engine.BeginWrite(connection);
        connection.Execute(engine.Dialect.Translate("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """), transaction);
        if (!engine.Dialect.HasColumn(connection, transaction, "schema_migrations", "checksum"))
        {
            // Added the same way to a new store as to one of an older release, so both have the same
            // table definition. NULL until the first open of this release fills it from the code (Verify below).
            connection.Execute("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NULL", transaction);
        }

        transaction.Commit();
    }

    /// <summary>Fills missing checksums from the code and stops at the first recorded one that differs.</summary>
    private static void Verify(DbConnection connection, StoreEngine engine, IReadOnlyList<SchemaStep> steps, string store, ILogger logger)
    {
        var dialect = engine.Dialect;
        using var transaction = engine.BeginWrite(connection);
        var recorded = Recorded(connection, transaction);

        var filled = 0;
        foreach (var step in steps)
        {
            if (!recorded.TryGetValue(step.Version, out var checksum))
            {
                continue;
            }

            if (checksum is null)
            {
                connection.Execute("UPDATE schema_migrations SET checksum = @c WHERE version = @v AND checksum IS NULL", transaction, ("@c", step.ChecksumFor(dialect)), ("@v", step.Version));
                filled++;
            }
            else if (!string.Equals(checksum, step.ChecksumFor(dialect), StringComparison.Ordinal))
            {
                throw new StoreException($"The ticket store {store} (Storage:ConnectionString) applied schema step {step.Version} \"{step.Name}\" from SQL that differs from this release's (checksum {checksum[..Math.Min(12, checksum.Length)]}, expected {step.ChecksumFor(dialect)[..12]}); run the release that wrote the store, or restore a backup.");
            }
        }

        transaction.Commit();
        if (filled > 0)
        {
            Log.MigrationChecksumsRecorded(logger, filled);
        }
    }
}

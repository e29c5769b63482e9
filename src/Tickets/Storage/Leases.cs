using System.Data.Common;
using System.Globalization;

namespace TicketGateway.Tickets.Storage;

/// <summary>
/// Leader leases in the <c>leases</c> table: the one node that does a job the whole desk does once
/// (polling the mailbox). Times come from the database's clock, so nodes whose clocks differ agree on
/// expiry. The token grows with every change of holder; a holder's commits check it
/// (<see cref="Fence"/>), so a node that lost its lease while paused commits nothing.
/// </summary>
public static class Leases
{
    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> for
    /// <paramref name="ttl"/>: granted when the holder already has it, when it has expired, or when
    /// <paramref name="steal"/> (a store only this process serves: whatever holds it is this process's
    /// predecessor). Runs on its own (autocommit), not in the writer's batch.
    /// </summary>
    /// <returns>The lease's token while <paramref name="holder"/> holds it, or null when another node does.</returns>
    public static long? TryAcquire(DbConnection connection, string name, string holder, TimeSpan ttl, bool steal)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = SqlDialect.Of(connection).NowMillis;
        var token = connection.Scalar(
            $"""
            INSERT INTO leases (name, holder, token, expires_at) VALUES (@name, @holder, 1, {now} + @ttl)
            ON CONFLICT (name) DO UPDATE SET
                token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
                holder = excluded.holder,
                expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= {now} OR @steal = 1
            RETURNING token
            """,
            null,
            ("@name", name),
            ("@holder", holder),
            ("@ttl", (long)ttl.TotalMilliseconds),
            ("@steal", steal));
        return token is null or DBNull ? null : Convert.ToInt64(token, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// In the transaction that commits the holder's work: true while <paramref name="holder"/> still
    /// holds the lease with <paramref name="token"/>. On PostgreSQL it locks the lease row until the
    /// commit, so a node taking the lease over waits for this commit and then sees it.
    /// </summary>
    public static bool Fence(DbConnection connection, DbTransaction transaction, string name, string holder, long token) =>
        CommandCache.Execute(
            connection,
            transaction,
            "UPDATE leases SET token = token WHERE name = @name AND holder = @holder AND token = @token",
            ("@name", name),
            ("@holder", holder),
            ("@token", token)) == 1;

    /// <summary>Gives the lease up (a node stopping): another node may take it at once; the token stays, so the next holder's is higher.</summary>
    public static void Release(DbConnection connection, string name, string holder) =>
        connection.Execute("UPDATE leases SET expires_at = 0 WHERE name = @name AND holder = @holder", null, ("@name", name), ("@holder", holder));

    /// <summary>Who holds the lease now, or null when nobody does (never taken, released or expired).</summary>
    public static LeaseHolder? Holder(DbConnection connection, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.Command(
            $"SELECT holder, token, expires_at - {SqlDialect.Of(connection).NowMillis} FROM leases WHERE name = @name",
            null,
            ("@name", name));
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var left = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture);
        return left > 0 ? new LeaseHolder(r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(left)) : null;
    }
}

/// <summary>The node holding a lease, its token, and how long the lease runs unless renewed.</summary>
public sealed record LeaseHolder(string Holder, long Token, TimeSpan Left);

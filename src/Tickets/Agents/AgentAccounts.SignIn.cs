using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

public sealed partial class AgentAccounts
{
    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long an account stays locked after <see cref="MaxFailedSignIns"/> wrong passwords.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Signs in with a password: while the login is locked the password is not even checked;
    /// a wrong one counts, and the <see cref="MaxFailedSignIns"/>th in a row locks the login for
    /// <see cref="LockDuration"/>; a right one clears the count. The count and the lock live in the
    /// store, so they hold on every node and across restarts. A login without an account (or a
    /// disabled one) fails like a wrong password and is counted and locked the same way (its count
    /// kept in <c>signin_failures</c> for a day), so neither the answers nor the time they take tell
    /// which logins exist.
    /// </summary>
    public async Task<SignInAttempt> SignInAsync(string login, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var key = login.Trim().ToLowerInvariant();
        var now = _time.GetUtcNow();
        if (LockedUntil(key) is { } locked && locked > now)
        {
            return new SignInAttempt(null, locked);
        }

        var account = await VerifyPasswordAsync(key, password, cancellationToken).ConfigureAwait(false);
        if (account is not null)
        {
            await _database.WriteAsync((c, tx) => c.Execute("UPDATE agents SET failed_signins = 0, locked_until = NULL WHERE login = @k", tx, ("@k", key)), cancellationToken).ConfigureAwait(false);
            return new SignInAttempt(account, null);
        }

        // One statement counts the failure and sets the lock, so two nodes counting at once lose no failure.
        var until = await _database.WriteAsync((c, tx) =>
        {
            (string, object?)[] parameters = [("@k", key), ("@max", (long)MaxFailedSignIns), ("@until", (now + LockDuration).ToDb())];
            var (table, count) = ("agents", "failed_signins");
            if (c.Execute(CountFailure(table, count, ""), tx, parameters) == 0)
            {
                // No account: counted by login all the same. Logins not tried for a day are forgotten, so
                // guessing many of them cannot fill the store.
                (table, count) = ("signin_failures", "failures");
                c.Execute("DELETE FROM signin_failures WHERE last_at < @old", tx, ("@old", (now - TimeSpan.FromDays(1)).ToDb()));
                c.Execute(
                    "INSERT INTO signin_failures (login, failures, locked_until, last_at) VALUES (@k, 0, NULL, @now) ON CONFLICT (login) DO NOTHING",
                    tx, ("@k", key), ("@now", now.ToDb()));
                c.Execute(CountFailure(table, count, ", last_at = @now"), tx, [.. parameters, ("@now", now.ToDb())]);
            }

            var locked = c.Scalar($"SELECT locked_until FROM {table} WHERE login = @k AND {count} >= @max", tx, ("@k", key), ("@max", (long)MaxFailedSignIns));
            if (locked is not (null or DBNull))
            {
                // The count starts again once the lock ends.
                c.Execute($"UPDATE {table} SET {count} = 0 WHERE login = @k", tx, ("@k", key));
            }

            return locked is null or DBNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(locked, System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken).ConfigureAwait(false);
        if (until is not null)
        {
            Log.AgentLocked(_logger, key, until.Value);
        }

        return new SignInAttempt(null, until);
    }

    // One more wrong password for login @k in `table` (and `alsoSet`), locking it until @until at the @max-th in a row.
    private static string CountFailure(string table, string count, string alsoSet) =>
        $"""
        UPDATE {table} SET {count} = {count} + 1,
            locked_until = CASE WHEN {count} + 1 >= @max THEN @until ELSE locked_until END{alsoSet}
        WHERE login = @k
        """;

    // The later lock of the login's account and of the login's count without an account (either may be missing).
    private DateTimeOffset? LockedUntil(string login) =>
        _database.Read(c => c.Scalar(
            "SELECT max(locked_until) FROM (SELECT locked_until FROM agents WHERE login = @k UNION ALL SELECT locked_until FROM signin_failures WHERE login = @k) l",
            null, ("@k", login))) is { } v and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))
            : null;
}

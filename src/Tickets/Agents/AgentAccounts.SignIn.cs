using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

public sealed partial class AgentAccounts
{
    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long an account stays locked after <see cref="MaxFailedSignIns"/> wrong passwords.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Signs in with a password: while the account is locked the password is not even checked;
    /// a wrong one counts, and the <see cref="MaxFailedSignIns"/>th in a row locks the account for
    /// <see cref="LockDuration"/>; a right one clears the count. The count and the lock live in the
    /// store, so they hold on every node and across restarts. An unknown or disabled login fails
    /// like a wrong password.
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
            c.Execute(
                """
                UPDATE agents SET failed_signins = failed_signins + 1,
                    locked_until = CASE WHEN failed_signins + 1 >= @max THEN @until ELSE locked_until END
                WHERE login = @k
                """,
                tx, ("@k", key), ("@max", (long)MaxFailedSignIns), ("@until", (now + LockDuration).ToDb()));
            var locked = c.Scalar("SELECT locked_until FROM agents WHERE login = @k AND failed_signins >= @max", tx, ("@k", key), ("@max", (long)MaxFailedSignIns));
            if (locked is not (null or DBNull))
            {
                // The count starts again once the lock ends.
                c.Execute("UPDATE agents SET failed_signins = 0 WHERE login = @k", tx, ("@k", key));
            }

            return locked is null or DBNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(locked, System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken).ConfigureAwait(false);
        if (until is not null)
        {
            Log.AgentLocked(_logger, key, until.Value);
        }

        return new SignInAttempt(null, until);
    }

    private DateTimeOffset? LockedUntil(string login) =>
        _database.Read(c => c.Scalar("SELECT locked_until FROM agents WHERE login = @k", null, ("@k", login))) is { } v and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))
            : null;
}

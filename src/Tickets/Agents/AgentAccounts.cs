using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

/// <summary>
/// The agents' accounts in the store: add, list, disable, enable, password, role, and the password
/// check the web console logs in with. Passwords are hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2); neither the password nor the hash is ever logged or shown.
/// </summary>
public sealed partial class AgentAccounts
{
    // Names the desk's own workers record as actors, and the `--owner none` filter: never a login.
    private static readonly HashSet<string> Reserved = ["cli", "mail", "smtp", "alerts", "none", "operator", "system"];
    private static readonly PasswordHasher<AgentAccount> Hasher = new();

    // A hash of a random password that no one knows, checked for a login without one (VerifyPasswordAsync).
    private static readonly Lazy<(AgentAccount Account, string Hash)> StandIn = new(() =>
    {
        var account = new AgentAccount("-", "-", "-", null, AgentRole.Agent, false, true, "-", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        return (account, Hasher.HashPassword(account, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));
    });
    private readonly TicketDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentAccounts> _logger;

    /// <summary>Creates the service.</summary>
    public AgentAccounts(TicketDatabase database, TimeProvider time, ILogger<AgentAccounts> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
    }

    /// <summary>Every account, by login.</summary>
    public IReadOnlyList<AgentAccount> List() => _database.Read(c => AgentSql.List(c, null));

    /// <summary>The account with this login (any case), or null.</summary>
    public AgentAccount? Find(string login) => _database.Read(c => AgentSql.Find(c, null, login));

    /// <summary>The account with this login inside the caller's transaction, or null.</summary>
    public static AgentAccount? Find(DbConnection connection, DbTransaction? transaction, string login) => AgentSql.Find(connection, transaction, login);

    /// <summary>The account with this address (any case) inside the caller's transaction, or null.</summary>
    public static AgentAccount? FindByEmail(DbConnection connection, DbTransaction? transaction, string email) => AgentSql.FindByEmail(connection, transaction, email);

    /// <summary>Every account inside the caller's transaction.</summary>
    public static IReadOnlyList<AgentAccount> List(DbConnection connection, DbTransaction? transaction) => AgentSql.List(connection, transaction);

    /// <summary>A ticket's owner and every account, read together; null when the ticket does not exist.</summary>
    public static (string? Owner, IReadOnlyList<AgentAccount> Accounts)? OwnerAndAccounts(DbConnection connection, DbTransaction transaction, long ticketId) =>
        AgentSql.OwnerAndAccounts(connection, transaction, ticketId);

    /// <summary>The active account with this login, for acting as it.</summary>
    /// <exception cref="TicketException">No such account, or it is disabled.</exception>
    public static AgentAccount RequireActive(DbConnection connection, DbTransaction? transaction, string login)
    {
        var account = AgentSql.Find(connection, transaction, login) ?? throw new TicketException(TicketError.NotFound, $"There is no agent with login '{login}'; run 'ticketgw agents list'.");
        return account.Active ? account : throw new TicketException(TicketError.Conflict, $"The agent '{account.Login}' is disabled.");
    }

    /// <summary>Creates an account, with a password or without one.</summary>
    /// <exception cref="TicketException">A field is invalid, or the login or address is taken.</exception>
    public Task<AgentAccount> AddAsync(NewAgent agent, string? password, CancellationToken cancellationToken = default)
    {
        var clean = Check(agent);
        var hash = password is null ? null : Hash(password);
        return _database.WriteAsync((c, tx) =>
        {
            Refuse(c, tx, clean);
            AgentSql.Insert(c, tx, clean, hash, "cli", _time.GetUtcNow());
            return AgentSql.Find(c, tx, clean.Login)!;
        }, cancellationToken);
    }

    /// <summary>Disables an account: it can no longer act by mail, with <c>--as</c> or log in. Its tickets keep it as owner.</summary>
    public Task<AgentAccount> DisableAsync(string login, CancellationToken cancellationToken = default) => SetAsync(login, "active", 0L, cancellationToken);

    /// <summary>Enables a disabled account again.</summary>
    public Task<AgentAccount> EnableAsync(string login, CancellationToken cancellationToken = default) => SetAsync(login, "active", 1L, cancellationToken);

    /// <summary>Changes an account's role.</summary>
    public Task<AgentAccount> SetRoleAsync(string login, AgentRole role, CancellationToken cancellationToken = default) => SetAsync(login, "role", Names.Of(role), cancellationToken);

    /// <summary>Sets (or replaces) an account's password.</summary>
    /// <exception cref="TicketException">The password is empty, or there is no such account.</exception>
    public Task<AgentAccount> SetPasswordAsync(string login, string password, CancellationToken cancellationToken = default) =>
        SetAsync(login, "password_hash", Hash(password), cancellationToken);

    /// <summary>
    /// Checks a password: the account when the login is an active account whose password matches,
    /// else null (unknown login, disabled, no password, wrong password alike). A hash in an older
    /// format is replaced by a current one. Without a hash to check, a stand-in hash is checked all the
    /// same, so the time taken does not tell a login that exists from one that does not.
    /// </summary>
    public async Task<AgentAccount?> VerifyPasswordAsync(string login, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(password);
        var (account, hash) = _database.Read(c => (AgentSql.Find(c, null, login), AgentSql.PasswordHash(c, null, login.Trim().ToLowerInvariant())));
        if (account is not { Active: true } || hash is null)
        {
            _ = Hasher.VerifyHashedPassword(StandIn.Value.Account, StandIn.Value.Hash, password);
            return null;
        }

        var result = Hasher.VerifyHashedPassword(account, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await SetAsync(account.Login, "password_hash", Hasher.HashPassword(account, password), cancellationToken).ConfigureAwait(false);
        }

        return result == PasswordVerificationResult.Failed ? null : account;
    }

    /// <summary>
    /// Imports the <c>Agents:N</c> configuration entries as accounts (role agent, no password): an entry
    /// whose address already has an account is left alone, so running it again changes nothing and an
    /// account changed since (disabled, renamed) is not overwritten. Returns the accounts created.
    /// </summary>
    public async Task<IReadOnlyList<AgentAccount>> ImportAsync(IEnumerable<AgentOptions> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // A read first: the common case (everything imported) writes nothing.
        var existing = List().Select(a => a.Email.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var missing = entries.Where(e => !existing.Contains(e.Email.Trim().ToLowerInvariant())).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var imported = await _database.WriteAsync((c, tx) =>
        {
            var created = new List<AgentAccount>();
            foreach (var entry in missing)
            {
                var login = ConfiguredLogin(entry);
                if (AgentSql.FindByEmail(c, tx, entry.Email) is not null)
                {
                    continue;
                }

                if (!LoginPattern().IsMatch(login) || Reserved.Contains(login) || AgentSql.Find(c, tx, login) is not null)
                {
                    Log.AgentNotImported(_logger, entry.Email, login);
                    continue;
                }

                AgentSql.Insert(c, tx, new NewAgent(login, entry.Name.Trim(), entry.Email.Trim(), null, AgentRole.Agent), null, "config", _time.GetUtcNow());
                created.Add(AgentSql.Find(c, tx, login)!);
            }

            return created;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var account in imported)
        {
            Log.AgentImported(_logger, account.Login, account.Email);
        }

        return imported;
    }

    /// <summary>The login of an <c>Agents:N</c> entry: its <c>Login</c>, else the local part of its address, lower-case.</summary>
    public static string ConfiguredLogin(AgentOptions entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (entry.Login is { Length: > 0 } login ? login : MailAddresses.LocalPart(entry.Email.Trim())).Trim().ToLowerInvariant();
    }

    private static NewAgent Check(NewAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var login = (agent.Login ?? "").Trim().ToLowerInvariant();
        if (!LoginPattern().IsMatch(login))
        {
            throw new TicketException(TicketError.Invalid, $"'{agent.Login}' is not a login: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (Reserved.Contains(login))
        {
            throw new TicketException(TicketError.Invalid, $"'{login}' is reserved for the desk's own records; choose another login.");
        }

        var name = (agent.Name ?? "").Trim();
        if (name.Length is 0 or > 200)
        {
            throw new TicketException(TicketError.Invalid, "An agent needs a display name (--name) of at most 200 characters.");
        }

        var email = (agent.Email ?? "").Trim();
        if (!MailAddresses.IsPlain(email))
        {
            throw new TicketException(TicketError.Invalid, $"'{agent.Email}' is not an email address like agent@example.com.");
        }

        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(agent.Mobile))
        {
            mobile = PhoneNumber.StoredOrNull(agent.Mobile)
                ?? throw new TicketException(TicketError.Invalid, $"'{agent.Mobile}' is not a mobile number (digits, optionally with a leading +, 3 to 20 of them).");
        }

        return new NewAgent(login, name, email, mobile, agent.Role);
    }

    private static void Refuse(DbConnection connection, DbTransaction transaction, NewAgent agent)
    {
        if (AgentSql.Find(connection, transaction, agent.Login) is not null)
        {
            throw new TicketException(TicketError.Conflict, $"An agent with login '{agent.Login}' already exists.");
        }

        if (AgentSql.FindByEmail(connection, transaction, agent.Email) is { } other)
        {
            throw new TicketException(TicketError.Conflict, $"The address {agent.Email} already belongs to agent '{other.Login}'.");
        }
    }

    private static string Hash(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Trim().Length == 0)
        {
            throw new TicketException(TicketError.Invalid, "The password is empty.");
        }

        // PasswordHasher ignores the user object in its default (V3) format.
        return Hasher.HashPassword(null!, password);
    }

    private Task<AgentAccount> SetAsync(string login, string column, object? value, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx) =>
        {
            var account = AgentSql.Find(c, tx, login) ?? throw new TicketException(TicketError.NotFound, $"There is no agent with login '{login}'; run 'ticketgw agents list'.");
            AgentSql.Set(c, tx, account.Login, column, value, _time.GetUtcNow());
            return AgentSql.Find(c, tx, account.Login)!;
        }, cancellationToken);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex LoginPattern();
}

using System.Data.Common;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Agents;

/// <summary>The SQL of agent accounts, on a given connection and transaction.</summary>
internal static class AgentSql
{
    private const string Columns = "login, name, email, mobile, role, active, password_hash, source, created_at, updated_at";

    // A ticket's owner beside every account (an account's columns as Read expects them, from the second on).
    private static readonly string OwnerAndAccountsSql =
        $"SELECT t.owner, {string.Join(", ", Columns.Split(", ").Select(c => "a." + c))} FROM tickets t LEFT JOIN agents a ON 1 = 1 WHERE t.id = @t ORDER BY a.login";

    public static AgentAccount? Find(DbConnection connection, DbTransaction? transaction, string login) =>
        One(connection, transaction, $"SELECT {Columns} FROM agents WHERE login = @k", login.Trim().ToLowerInvariant());

    public static AgentAccount? FindByEmail(DbConnection connection, DbTransaction? transaction, string email) =>
        One(connection, transaction, $"SELECT {Columns} FROM agents WHERE email_key = @k", email.Trim().ToLowerInvariant());

    public static string? PasswordHash(DbConnection connection, DbTransaction? transaction, string login) =>
        connection.Scalar("SELECT password_hash FROM agents WHERE login = @k", transaction, ("@k", login)) as string;

    public static IReadOnlyList<AgentAccount> List(DbConnection connection, DbTransaction? transaction)
    {
        // Inside the writer's transaction (the recipients of every new ticket's notification) the prepared command is reused.
        using var lease = CommandCache.Lease(connection, transaction, $"SELECT {Columns} FROM agents ORDER BY login");
        using var reader = lease.Command.ExecuteReader();
        var list = new List<AgentAccount>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>
    /// A ticket's owner and every account, in one statement (the agents' notification of each new ticket and
    /// customer reply, on the writer's path); null when the ticket does not exist.
    /// </summary>
    public static (string? Owner, IReadOnlyList<AgentAccount> Accounts)? OwnerAndAccounts(DbConnection connection, DbTransaction transaction, long ticketId)
    {
        using var lease = CommandCache.Lease(connection, transaction, OwnerAndAccountsSql, ("@t", ticketId));
        using var reader = lease.Command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var owner = reader.StringOrNull(0);
        var list = new List<AgentAccount>();
        do
        {
            if (!reader.IsDBNull(1))
            {
                list.Add(Read(reader, 1));
            }
        }
        while (reader.Read());
        return (owner, list);
    }

    public static void Insert(DbConnection connection, DbTransaction transaction, NewAgent agent, string? passwordHash, string source, DateTimeOffset now) =>
        connection.Execute(
            """
            INSERT INTO agents (login, name, email, email_key, mobile, role, active, password_hash, source, created_at, updated_at)
            VALUES (@login, @name, @email, @key, @mobile, @role, 1, @hash, @source, @now, @now)
            """,
            transaction,
            ("@login", agent.Login),
            ("@name", agent.Name),
            ("@email", agent.Email),
            ("@key", agent.Email.ToLowerInvariant()),
            ("@mobile", agent.Mobile),
            ("@role", Names.Of(agent.Role)),
            ("@hash", passwordHash),
            ("@source", source),
            ("@now", now.ToDb()));

    /// <summary>Sets one column of an account (the name comes from code, never from input).</summary>
    public static int Set(DbConnection connection, DbTransaction transaction, string login, string column, object? value, DateTimeOffset now) =>
        connection.Execute($"UPDATE agents SET {column} = @v, updated_at = @now WHERE login = @k", transaction, ("@v", value), ("@now", now.ToDb()), ("@k", login));

    private static AgentAccount? One(DbConnection connection, DbTransaction? transaction, string sql, string key)
    {
        using var command = connection.Command(sql, transaction, ("@k", key));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    private static AgentAccount Read(DbDataReader r, int first = 0) => new(
        r.GetString(first),
        r.GetString(first + 1),
        r.GetString(first + 2),
        r.StringOrNull(first + 3),
        Names.Parse<AgentRole>(r.GetString(first + 4)),
        r.GetInt64(first + 5) != 0,
        !r.IsDBNull(first + 6),
        r.GetString(first + 7),
        r.Instant(first + 8),
        r.Instant(first + 9));
}

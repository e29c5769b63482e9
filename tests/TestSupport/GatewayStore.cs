using Microsoft.Data.Sqlite;

namespace TicketGateway.TestSupport;

/// <summary>Reads the store of a <c>ticketgw</c> process under test (WAL lets it read while the process writes).</summary>
internal static class GatewayStore
{
    public static long Count(string workDir, string sql)
    {
        var path = Path.Combine(workDir, "data", "ticketgw.db");
        if (!File.Exists(path))
        {
            return -1;
        }

        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            // The process has not created the tables yet.
            return -1;
        }
    }
}

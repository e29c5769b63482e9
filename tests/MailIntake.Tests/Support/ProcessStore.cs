namespace TicketGateway.MailIntake.Tests.Support;

/// <summary>The store of a <c>ticketgw</c> process started in a test's folder, on either engine.</summary>
internal static class ProcessStore
{
    /// <summary>
    /// On SQLite the process's own default, <c>data/ticketgw.db</c> in <paramref name="workDir"/> (so the
    /// CLI finds it there as at a desk); on PostgreSQL a fresh database.
    /// </summary>
    public static TestDatabase Create(StoreKind engine, string workDir) => TestDatabase.Create(engine, workDir, Path.Combine("data", "ticketgw.db"));

    /// <summary>Adds the store's variables to <paramref name="environment"/> and returns it.</summary>
    public static Dictionary<string, string> With(this Dictionary<string, string> environment, TestDatabase db)
    {
        foreach (var (key, value) in db.Environment)
        {
            environment[key] = value;
        }

        return environment;
    }
}

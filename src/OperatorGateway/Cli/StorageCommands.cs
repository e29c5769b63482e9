using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw storage ...</c>: the store itself; today moving a desk to PostgreSQL.</summary>
internal sealed class StorageCommands(TicketDatabase store, IEnumerable<SchemaModule> modules, ILogger<TicketDatabase> logger, TextWriter output, TextWriter error)
{
    private static readonly Option<string?> To = CliSymbols.Value("--to", "CONNECTION_STRING", "the empty PostgreSQL database to copy into, in Npgsql's format (\"Host=db1;Database=ticketgw;Username=ticketgw;Password=...\")");
    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    public static Command Create()
    {
        var command = new Command("storage", """
            the ticket store itself (Storage:Provider, Storage:ConnectionString): move a desk to PostgreSQL
            """);
        var copy = new Command("copy", """
            copy the configured store (normally the SQLite desk) into an EMPTY PostgreSQL database, then compare the row counts of every table.
            The target gets this release's schema by the normal schema steps; every row keeps its id; new ids continue after the highest.
            All rows go in one transaction: a failure or a count that differs leaves no rows in the target (its empty schema stays; drop and create the database before trying again).
            The store is read in one snapshot (one read transaction; SQLite's WAL lets the gateway keep serving meanwhile): the copy is consistent, but what the gateway
            accepts after the snapshot is not in it, so stop 'ticketgw serve' before the copy when moving for good, then set Storage:Provider=PostgreSQL and Storage:ConnectionString.
            Exit codes: 0 copied, counts equal; 1 refused (the target is not empty) or counts differ; 2 wrong input or the target cannot be reached.
            """)
        {
            To, JsonOption,
        };
        CliSession.SetAction(copy, (p, s, ct) => new StorageCommands(
            s.Services.GetRequiredService<TicketDatabase>(),
            s.Services.GetServices<SchemaModule>(),
            s.Services.GetRequiredService<ILogger<TicketDatabase>>(),
            s.Output,
            s.Error).CopyAsync(p, ct));
        command.Add(copy);
        return command;
    }

    private async Task<int> CopyAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var to = a.Required(To);
        StoreCopyResult result;
        try
        {
            result = await StoreCopy.RunAsync(store, to, modules, logger, cancellationToken);
        }
        catch (StoreCopyRefusedException ex)
        {
            error.WriteLine("ticketgw: " + ex.Message);
            return 1;
        }

        var rows = result.Rows.ToString("N0", CultureInfo.InvariantCulture);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonObject
            {
                ["source"] = store.DataSource,
                ["tables"] = new JsonArray([.. result.Tables.Select(t => (JsonNode)new JsonObject { ["table"] = t.Table, ["source"] = t.Source, ["target"] = t.Target })]),
                ["tableCount"] = result.Tables.Count,
                ["rows"] = result.Rows,
                ["countsEqual"] = result.Committed,
            }));
        }
        else
        {
            var table = new TextTable("TABLE", "SOURCE", "TARGET");
            foreach (var t in result.Tables)
            {
                table.Add(t.Table, t.Source.ToString(CultureInfo.InvariantCulture), t.Target.ToString(CultureInfo.InvariantCulture));
            }

            output.Write(table.ToString());
            if (result.Committed)
            {
                output.WriteLine($"Copied {result.Tables.Count} tables, {rows} rows; counts equal.");
            }
        }

        if (!result.Committed)
        {
            error.WriteLine($"ticketgw: storage copy: the row counts differ in {string.Join(", ", result.Different)}; the copy was rolled back and the target holds no rows.");
            return 1;
        }

        return 0;
    }
}

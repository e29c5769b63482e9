using System.CommandLine;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw init</c>: create the store, or bring its schema up to date.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var init = new Command("init", "create the store (Storage:ConnectionString) if missing, or apply pending schema steps; every other command needs it");
        CliSession.SetAction(init, (_, s) =>
        {
            var database = s.Services.GetRequiredService<TicketDatabase>();
            s.Output.WriteLine(!database.Created
                ? $"The ticket store {database.DataSource} already exists; its schema is up to date."
                : $"Created the ticket store {database.DataSource}.");
            return 0;
        }, createStore: true);
        return init;
    }
}

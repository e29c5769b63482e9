using System.CommandLine;
using TicketGateway.OperatorGateway.Operations;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw inspect</c>: the daily inspection (巡检) on demand, and the kept results of <c>serve</c>'s.</summary>
internal static class InspectCommands
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    public static Command Create()
    {
        var inspect = new Command("inspect", "run every check now (store, disks, IMAP, SMTP, operator endpoints, stuck queues, quarantine, deadlines, calendar, certificates, duty roster) and print check, result (ok, warning, failed), detail and duration; exit 1 when a check failed")
        {
            JsonOption,
        };
        CliSession.SetAction(inspect, async (p, s, ct) =>
        {
            var report = await s.Services.GetRequiredService<Inspector>().RunAsync(null, ct);
            if (p.GetValue(JsonOption))
            {
                s.Output.WriteLine(TicketJson.Write(report.Json(s.Time)));
            }
            else
            {
                s.Output.Write(report.Table());
                s.Output.WriteLine(report.Summary + ".");
            }

            return report.Worst == CheckOutcome.Failed ? 1 : 0;
        });
        return inspect;
    }
}

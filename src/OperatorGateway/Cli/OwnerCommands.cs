using System.CommandLine;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets assign|take</c>: who owns a ticket.</summary>
internal static class OwnerCommands
{
    private static readonly Argument<string> Reference = CliSymbols.Argument("REF", "the ticket reference");
    private static readonly Option<bool> JsonOption = CliSymbols.Json();

    // The resolved actor of this command (--as, TICKETGW_AS, else cli:<os user>).
    private static string Actor => CliActor.Current;

    public static Command Assign()
    {
        var login = new Argument<string?>("LOGIN") { Description = "the agent who will own the ticket", Arity = ArgumentArity.ZeroOrOne };
        var none = new Option<bool>("--none") { Description = "the ticket will have no owner" };
        var assign = new Command("assign", "give a ticket to an agent (LOGIN), or to nobody (--none)") { Reference, login, none, JsonOption };
        CliSession.SetAction(assign, async (p, s, ct) =>
        {
            var who = p.GetValue(login);
            if (string.IsNullOrWhiteSpace(who) == !p.GetValue(none))
            {
                throw new CliException("tickets assign: give exactly one of LOGIN or --none.");
            }

            var ownership = s.Services.GetRequiredService<TicketOwnership>();
            var t = await ownership.AssignAsync(p.GetValue(Reference)!, p.GetValue(none) ? null : who!.Trim(), Actor, ct);
            return Print(p, s, t);
        });
        return assign;
    }

    public static Command Take()
    {
        var take = new Command("take", "take a ticket: the agent named by --as (or TICKETGW_AS) becomes its owner") { Reference, JsonOption };
        CliSession.SetAction(take, async (p, s, ct) =>
        {
            if (Actor.StartsWith("cli:", StringComparison.Ordinal))
            {
                throw new CliException("tickets take: say who takes it with --as LOGIN (or TICKETGW_AS).");
            }

            var t = await s.Services.GetRequiredService<TicketOwnership>().TakeAsync(p.GetValue(Reference)!, Actor, ct);
            return Print(p, s, t);
        });
        return take;
    }

    private static int Print(ParseResult p, CliSession s, Ticket t)
    {
        s.Output.WriteLine(p.GetValue(JsonOption) ? TicketJson.Write(TicketJson.Ticket(t, s.Time)) : $"{t.Ref} is owned by {t.Owner ?? "nobody"}.");
        return 0;
    }
}

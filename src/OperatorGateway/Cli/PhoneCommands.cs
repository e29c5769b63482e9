using System.CommandLine;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets satisfaction ...</c>: what a customer said on the phone about the handling.</summary>
internal sealed class PhoneCommands(PhoneContacts phone, TimeFormat time, TextWriter output)
{
    private static string Actor => CliActor.Current;

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> Reference = CliSymbols.Argument("REF", "the ticket reference");
    private static readonly Argument<string> Answer = CliSymbols.Argument("ANSWER", "satisfied or unsatisfied");
    private static readonly Option<string?> Text = CliSymbols.Value("--text", "T", "what the customer said (an unsatisfied complaint's repeat complaint carries it)");

    public static Command Satisfaction()
    {
        var command = new Command("satisfaction", "record whether the customer, asked on the phone, is satisfied with the handling of a resolved ticket (counts in the satisfaction indicators like a survey answer by mail)")
        {
            Reference, Answer, Text, JsonOption,
        };
        CliSession.SetAction(command, (p, s, ct) =>
            new PhoneCommands(s.Services.GetRequiredService<PhoneContacts>(), s.Time, s.Output).SatisfactionAsync(p, ct));
        return command;
    }

    private async Task<int> SatisfactionAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var answerText = a.GetValue(Answer)!;
        if (answerText is not ("satisfied" or "unsatisfied"))
        {
            throw new CliException($"tickets satisfaction: '{answerText}' is not an answer; use satisfied or unsatisfied.");
        }

        var answer = answerText == "satisfied" ? Tickets.Satisfaction.Satisfied : Tickets.Satisfaction.Unsatisfied;
        var (ticket, repeat) = await phone.RecordSatisfactionAsync(a.GetValue(Reference)!, answer, a.GetValue(Text), Actor, cancellationToken);
        if (a.GetValue(JsonOption))
        {
            var json = TicketJson.Ticket(ticket, time);
            json["repeatComplaint"] = repeat?.Ref;
            output.WriteLine(TicketJson.Write(json));
            return 0;
        }

        output.WriteLine($"{ticket.Ref}: the customer is {Names.Of(ticket.Satisfaction)}"
            + (repeat is null ? "." : $"; {ticket.Ref} is reopened and repeat complaint {repeat.Ref} opened."));
        return 0;
    }
}

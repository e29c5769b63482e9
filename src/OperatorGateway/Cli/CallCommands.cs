using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Calls;
using TicketGateway.Tickets.Kpis;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw calls ...</c>: import hotline call-detail records and list calls.</summary>
internal sealed class CallCommands(CallStore calls, TimeFormat time, TextWriter output, TextWriter error)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> File = CliSymbols.Argument("FILE", "the CDR file");
    private static readonly Option<bool> Strict = new("--strict") { Description = "import nothing when a row is bad" };
    private static readonly Option<string?> MonthOption = CliSymbols.Value("--month", "YYYY-MM", "the month (required)");

    public static Command Create()
    {
        var import = new Command("import", "import hotline call-detail records (Asterisk Master.csv or plain CSV); exit 1 when a row was refused") { File, Strict };
        CliSession.SetAction(import, (p, s, ct) => From(s).ImportAsync(p, ct));
        var list = new Command("list", "the month's calls, whether each was answered within 60 s, and the tickets created for each") { MonthOption, JsonOption };
        CliSession.SetAction(list, (p, s) => From(s).List(p));
        return new Command("calls", "hotline call records") { import, list };
    }

    private static CallCommands From(CliSession s) => new(s.Services.GetRequiredService<CallStore>(), s.Time, s.Output, s.Error);

    private async Task<int> ImportAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var file = a.GetValue(File)!;
        if (!System.IO.File.Exists(file))
        {
            throw new CliException($"calls import: the file '{file}' does not exist.");
        }

        // A progress bar only on a terminal: redirected stderr (scripts, CI logs) stays clean.
        var bar = Console.IsErrorRedirected ? null : new ProgressBar(error);
        var result = await calls.ImportAsync(file, a.GetValue(Strict), bar is null ? null : bar.Report, cancellationToken);
        bar?.Done();
        foreach (var e in result.Errors)
        {
            error.WriteLine($"ticketgw: {file}: line {e.Line}: {e.Reason}.");
        }

        if (!result.Committed)
        {
            error.WriteLine($"ticketgw: calls import --strict: {result.Errors.Count} bad row(s); nothing was imported.");
            return 1;
        }

        output.WriteLine($"{result.Imported} new call(s) imported, {result.Duplicates} already known, {result.Errors.Count} bad row(s) skipped.");
        if (result.LinkedTickets > 0)
        {
            output.WriteLine($"{result.LinkedTickets} phone ticket(s) linked to their call.");
        }

        return result.Errors.Count == 0 ? 0 : 1;
    }

    private int List(ParseResult a)
    {
        var monthText = a.Required(MonthOption);
        var month = KpiMonth.TryParse(monthText, time.Zone) ?? throw new CliException($"calls list --month: '{monthText}' is not a month such as 2026-11.");
        var list = calls.List(month);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(c => (JsonNode)new JsonObject
            {
                ["key"] = c.Key,
                ["startedAt"] = time.Format(c.StartedAt),
                ["answeredAt"] = time.Format(c.AnsweredAt),
                ["endedAt"] = time.Format(c.EndedAt),
                ["caller"] = c.Caller,
                ["disposition"] = c.Disposition,
                ["waitSeconds"] = c.AnsweredAt is { } at ? (long)(at - c.StartedAt).TotalSeconds : null,
                ["answered"] = c.Answered,
                ["tickets"] = new JsonArray([.. c.TicketIds.Select(t => (JsonNode)TicketReference.Format(t))]),
            })])));
            return 0;
        }

        var table = new TextTable("START", "CALLER", "DISPOSITION", "WAIT", "ANSWERED<=60S", "TICKETS");
        foreach (var c in list)
        {
            table.Add(
                time.Format(c.StartedAt),
                c.Caller ?? "-",
                c.Disposition,
                c.AnsweredAt is { } at ? ((long)(at - c.StartedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s" : "-",
                c.Answered ? "yes" : "no",
                c.TicketIds.Count == 0 ? "-" : string.Join(",", c.TicketIds.Select(TicketReference.Format)));
        }

        output.Write(table.ToString());
        var answered = list.Count(c => c.Answered);
        output.WriteLine(list.Count == 0
            ? "0 calls."
            : string.Create(CultureInfo.InvariantCulture, $"{list.Count} call(s), {answered} answered within 60 s ({100.0 * answered / list.Count:0.00}%)."));
        return 0;
    }

    private sealed class ProgressBar(TextWriter error)
    {
        private const int Width = 40;
        private int _shown = -1;

        public void Report(double share)
        {
            var percent = (int)(Math.Clamp(share, 0, 1) * 100);
            if (percent == _shown)
            {
                return;
            }

            _shown = percent;
            var filled = percent * Width / 100;
            error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}%");
        }

        public void Done()
        {
            if (_shown >= 0)
            {
                error.WriteLine();
            }
        }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets.Duty;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw alerts list</c>: every alert raised for the person on duty, with its delivery.</summary>
internal sealed class AlertCommands(AlertStore alerts, TimeFormat time, TextWriter output)
{
    /// <summary>The delivery states a filter may name (chat or email).</summary>
    private static readonly string[] States =
    [
        AlertStates.Pending, AlertStates.Queued, AlertStates.Sent, AlertStates.Failed, AlertStates.Disabled,
        AlertStates.NoRecipient, AlertStates.AwaitingOutbox, AlertStates.Migrated,
    ];

    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Option<string?> Kind = CliSymbols.Value("--kind", "K", "only alerts of this kind: " + string.Join(", ", AlertKinds.All));
    private static readonly Option<string?> State = CliSymbols.Value("--state", "S", "only alerts whose chat or email delivery is in this state: " + string.Join(", ", States));
    private static readonly Option<string?> Limit = CliSymbols.Value("--limit", "N", "at most N alerts (default 1000)");
    private static readonly Argument<string> Id = CliSymbols.Argument("ID", "the alert id (see 'ticketgw alerts list --json')");

    public static Command Create()
    {
        var list = new Command("list", "alerts (deadline reminders and breaches, urges, undelivered updates, refused mail), newest first, with their chat and email delivery")
        {
            Kind, State, Limit, JsonOption,
        };
        CliSession.SetAction(list, (p, s) => new AlertCommands(s.Services.GetRequiredService<AlertStore>(), s.Time, s.Output).List(p));
        var retry = new Command("retry", "try an alert's failed chat post or mail again now; exit 1 when none of its deliveries failed") { Id };
        CliSession.SetAction(retry, (p, s, ct) => new AlertCommands(s.Services.GetRequiredService<AlertStore>(), s.Time, s.Output).RetryAsync(p, ct));
        return new Command("alerts", "alerts for the person on duty") { list, retry };
    }

    private async Task<int> RetryAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var text = a.GetValue(Id)!;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            throw new CliException($"alerts retry: '{text}' is not an alert id (a number from 'alerts list --json').");
        }

        var channels = await alerts.RetryAsync(id, CliActor.Current, cancellationToken);
        output.WriteLine($"Alert {id}: {string.Join(" and ", channels)} delivery queued for an attempt now.");
        return 0;
    }

    private int List(ParseResult a)
    {
        var kind = a.GetValue(Kind);
        if (kind is not null && !AlertKinds.All.Contains(kind))
        {
            throw new CliException($"alerts list --kind: '{kind}' is not a kind; use one of {string.Join(", ", AlertKinds.All)}.");
        }

        var state = a.GetValue(State);
        if (state is not null && !States.Contains(state))
        {
            throw new CliException($"alerts list --state: '{state}' is not a delivery state; use one of {string.Join(", ", States)}.");
        }

        var limit = 1000;
        if (a.GetValue(Limit) is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            throw new CliException($"alerts list: --limit '{limitText}' is not a positive whole number.");
        }

        var list = alerts.Find(kind, state, limit);
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(x => (JsonNode)new JsonObject
            {
                ["id"] = x.Id,
                ["ticket"] = x.Ref,
                ["kind"] = x.Kind,
                ["deadlineAt"] = time.Format(x.DeadlineAt),
                ["raisedAt"] = time.Format(x.RaisedAt),
                ["text"] = x.Text,
                ["onDuty"] = x.DutyName,
                ["chat"] = x.WebhookState,
                ["chatFailedAttempts"] = x.WebhookAttempts,
                ["email"] = x.EmailState,
                ["emailTo"] = x.EmailTo,
            })])));
            return 0;
        }

        var table = new TextTable("RAISED", "KIND", "TICKET", "DEADLINE", "CHAT", "EMAIL", "TEXT");
        foreach (var x in list)
        {
            table.Add(time.Format(x.RaisedAt), x.Kind, x.Ref, time.Format(x.DeadlineAt), x.WebhookState, x.EmailState, x.Text);
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} alert(s).");
        return 0;
    }
}

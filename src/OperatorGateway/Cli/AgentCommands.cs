using System.CommandLine;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw agents ...</c>: the agents' accounts. Passwords come only from standard input, never from an argument.</summary>
internal sealed class AgentCommands(AgentAccounts accounts, TimeFormat time, TextWriter output)
{
    private static readonly Option<bool> JsonOption = CliSymbols.Json();
    private static readonly Argument<string> Login = CliSymbols.Argument("LOGIN", "the agent's login");
    private static readonly Option<string?> Name = CliSymbols.Value("--name", "N", "the display name customers read (required)");
    private static readonly Option<string?> Email = CliSymbols.Value("--email", "E", "the agent's own address; signed mail from it acts as the agent (required)");
    private static readonly Option<string?> Mobile = CliSymbols.Value("--mobile", "M", "the agent's mobile number");
    private static readonly Option<string?> Role = CliSymbols.Value("--role", "agent|lead|admin", "the role (required)");
    private static readonly Option<bool> PasswordStdin = new("--password-stdin") { Description = "read the password from standard input (one line)" };

    public static Command Create()
    {
        var agents = new Command("agents", "the agents' accounts: add, list, disable, enable, password, role");

        var add = new Command("add", "create an account (without a password unless --password-stdin)") { Login, Name, Email, Mobile, Role, PasswordStdin, JsonOption };
        CliSession.SetAction(add, (p, s, ct) => From(s).AddAsync(p, ct));
        agents.Add(add);

        var list = new Command("list", "every account, by login") { JsonOption };
        CliSession.SetAction(list, (p, s) => From(s).List(p));
        agents.Add(list);

        var disable = new Command("disable", "disable an account: it can no longer act (mail, --as, log-in); its tickets keep it as owner") { Login, JsonOption };
        CliSession.SetAction(disable, (p, s, ct) => From(s).ChangeAsync(p, "disabled", a => a.DisableAsync(p.GetValue(Login)!, ct)));
        agents.Add(disable);

        var enable = new Command("enable", "enable a disabled account again") { Login, JsonOption };
        CliSession.SetAction(enable, (p, s, ct) => From(s).ChangeAsync(p, "enabled", a => a.EnableAsync(p.GetValue(Login)!, ct)));
        agents.Add(enable);

        var password = new Command("set-password", "set an account's password, read from standard input") { Login, PasswordStdin, JsonOption };
        CliSession.SetAction(password, (p, s, ct) =>
        {
            var secret = p.GetValue(PasswordStdin) ? ReadPassword(p) : throw new CliException("agents set-password: give --password-stdin and the password on standard input.");
            return From(s).ChangeAsync(p, "has a new password", a => a.SetPasswordAsync(p.GetValue(Login)!, secret, ct));
        });
        agents.Add(password);

        var roleArgument = CliSymbols.Argument("ROLE", "the role (agent, lead, admin)");
        var role = new Command("role", "change an account's role") { Login, roleArgument, JsonOption };
        CliSession.SetAction(role, (p, s, ct) =>
        {
            var value = ParseRole(p.GetValue(roleArgument)!, "agents role");
            return From(s).ChangeAsync(p, "is " + Names.Of(value), a => a.SetRoleAsync(p.GetValue(Login)!, value, ct));
        });
        agents.Add(role);
        return agents;
    }

    private static AgentCommands From(CliSession s)
    {
        var accounts = s.Services.GetRequiredService<AgentAccounts>();
        // The Agents:N entries are accounts once imported: the server imports them when it starts, and so does
        // this (a read when nothing is missing), so the list shows them and a new account cannot take their address.
        accounts.ImportAsync(s.Services.GetRequiredService<AgentDirectory>().All).GetAwaiter().GetResult();
        return new(accounts, s.Time, s.Output);
    }

    private async Task<int> AddAsync(ParseResult a, CancellationToken cancellationToken)
    {
        var role = ParseRole(a.Required(Role), "agents add --role");
        var password = a.GetValue(PasswordStdin) ? ReadPassword(a) : null;
        var agent = new NewAgent(a.GetValue(Login)!, a.Required(Name), a.Required(Email), a.GetValue(Mobile), role);
        var account = await Refused(a, () => accounts.AddAsync(agent, password, cancellationToken));
        return Print(a, account, $"Agent {account.Login} <{account.Email}> added as {Names.Of(account.Role)}" + (account.HasPassword ? ", with a password." : ", without a password."));
    }

    private int List(ParseResult a)
    {
        var list = accounts.List();
        if (a.GetValue(JsonOption))
        {
            output.WriteLine(TicketJson.Write(new JsonArray([.. list.Select(x => (JsonNode)Json(x))])));
            return 0;
        }

        var table = new TextTable("LOGIN", "NAME", "EMAIL", "MOBILE", "ROLE", "STATE", "PASSWORD");
        foreach (var x in list)
        {
            table.Add(x.Login, x.Name, x.Email, x.Mobile ?? "-", Names.Of(x.Role), x.Active ? "active" : "disabled", x.HasPassword ? "set" : "-");
        }

        output.Write(table.ToString());
        output.WriteLine($"{list.Count} agent(s).");
        return 0;
    }

    private async Task<int> ChangeAsync(ParseResult a, string what, Func<AgentAccounts, Task<AgentAccount>> change)
    {
        var account = await Refused(a, () => change(accounts));
        return Print(a, account, $"Agent {account.Login} {what}.");
    }

    private int Print(ParseResult a, AgentAccount account, string line)
    {
        output.WriteLine(a.GetValue(JsonOption) ? TicketJson.Write(Json(account)) : line);
        return 0;
    }

    private JsonObject Json(AgentAccount x) => new()
    {
        ["login"] = x.Login,
        ["name"] = x.Name,
        ["email"] = x.Email,
        ["mobile"] = x.Mobile,
        ["role"] = Names.Of(x.Role),
        ["active"] = x.Active,
        ["hasPassword"] = x.HasPassword,
        ["source"] = x.Source,
        ["createdAt"] = time.Format(x.CreatedAt),
        ["updatedAt"] = time.Format(x.UpdatedAt),
    };

    /// <summary>The service's refusal as one line naming the command.</summary>
    private static async Task<AgentAccount> Refused(ParseResult a, Func<Task<AgentAccount>> action)
    {
        try
        {
            return await action();
        }
        catch (TicketException ex)
        {
            throw new TicketException(ex.Error, $"{CliSymbols.CommandPath(a)}: {ex.Message}");
        }
    }

    private static AgentRole ParseRole(string text, string where) =>
        Names.TryParse<AgentRole>(text, out var role) ? role : throw new CliException($"{where}: '{text}' is not a role; use one of {Names.All<AgentRole>()}.");

    /// <summary>The password: standard input up to the end, without the line break that ends it.</summary>
    private static string ReadPassword(ParseResult a)
    {
        var text = Console.In.ReadToEnd().TrimEnd('\r', '\n');
        return text.Trim().Length > 0 ? text : throw new CliException($"{CliSymbols.CommandPath(a)}: the password read from standard input is empty.");
    }
}

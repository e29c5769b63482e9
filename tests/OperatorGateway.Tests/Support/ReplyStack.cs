using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using TicketGateway.MailIntake;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Replies;

namespace TicketGateway.OperatorGateway.Tests.Support;

/// <summary>
/// The reply services and the SMTP sender composed as the gateway composes them (<c>AddTickets</c>,
/// <c>AddMailIntake</c>), in this process, on a test's store (the one a <c>ticketgw</c> started by
/// <see cref="Desk"/> uses).
/// </summary>
internal sealed class ReplyStack : IAsyncDisposable
{
    public const string Support = "support@desk.test";
    public const string Agents = "agents@desk.test";
    public const string AgentEmail = "lisi@desk.test";
    public const string Duty = "duty@desk.test";
    private readonly IHost _host;

    private ReplyStack(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public TicketService Tickets => _host.Services.GetRequiredService<TicketService>();

    public ReplyWorkflow Workflow => _host.Services.GetRequiredService<ReplyWorkflow>();

    public AgentMailWorkflow AgentMail => _host.Services.GetRequiredService<AgentMailWorkflow>();

    public Outbox Outbox => _host.Services.GetRequiredService<Outbox>();

    public Tickets.Duty.AlertStore Alerts => _host.Services.GetRequiredService<Tickets.Duty.AlertStore>();

    /// <summary>The settings of the reply side on <paramref name="db"/> (when given); with a port, the SMTP sender is on and retries fast.</summary>
    public static Dictionary<string, string> Settings(int? smtpPort, TestDatabase? db = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Mail:SupportAddress"] = Support,
            ["Mail:AgentsAddress"] = Agents,
            ["Mail:DutyAddress"] = Duty,
            ["Mail:ReplyTokenSecret"] = "test-secret-0123456789",
            ["Agents:0:Name"] = "李四",
            ["Agents:0:Email"] = AgentEmail,
            ["Replies:Hotline"] = "400-123-4567",
            ["Mail:Smtp:Host"] = smtpPort is null ? "" : "127.0.0.1",
            ["Mail:Smtp:Port"] = (smtpPort ?? 25).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:Smtp:PollInterval"] = "00:00:00.200",
            ["Mail:Smtp:RetryMin"] = "00:00:00.200",
            ["Mail:Smtp:RetryMax"] = "00:00:01",
        };
        foreach (var (k, v) in db?.Settings ?? new Dictionary<string, string?>())
        {
            settings[k] = v!;
        }

        return settings;
    }

    /// <summary>The same settings as environment variables for the real process.</summary>
    public static Dictionary<string, string> Environment(int? smtpPort, TestDatabase? db = null) =>
        Settings(smtpPort, db).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);

    public static async Task<ReplyStack> StartAsync(TestDatabase db, int? smtpPort, Dictionary<string, string>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = Settings(smtpPort, db);
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        builder.Configuration.AddInMemoryCollection(settings!);
        builder.AddTickets();
        builder.AddMailIntake();
        var host = builder.Build();
        await host.StartAsync();
        return new ReplyStack(host);
    }

    /// <summary>A ticket created from a customer's mail, as the intake does it.</summary>
    public Task<Ticket> FromMailAsync(MimeMessage mail, TicketKind kind, string language = "zh-CN") => Tickets.Database.WriteAsync((c, tx) =>
    {
        var from = mail.From.Mailboxes.First();
        var prepared = Tickets.Prepare(new NewTicket(Channel.Email, kind, new Customer(from.Name, from.Address, null), mail.Subject ?? "", mail.TextBody ?? "", Language: language));
        var ticket = Tickets.Insert(c, tx, prepared, mail.TextBody, "mail", mail.MessageId, from.Address, Support);
        _host.Services.GetRequiredService<MailAcknowledgements>().OnNewTicketFromMail(c, tx, ticket, Incoming(mail));
        return ticket;
    });

    /// <summary>Waits (bounded) until no mail is queued or being sent.</summary>
    public async Task WaitUntilDeliveredAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Outbox.List(OutboxStatus.Queued).Count + Outbox.List(OutboxStatus.Sending).Count > 0)
        {
            Assert.True(DateTime.UtcNow < until, "the outbox did not drain in 30 s");
            await Task.Delay(50);
        }
    }

    /// <summary>The mail as the intake hands it to the reply side: written out and read back by the intake's reader.</summary>
    public static IncomingMail Incoming(MimeMessage mail)
    {
        using var stream = new MemoryStream();
        mail.WriteTo(stream);
        return new MailIntake.Parsing.MailReader(new MailOptions { SupportAddress = Support }, new MailIntake.Intake.IntakeOptions()).Read(stream.ToArray()).Incoming!;
    }

    public static MimeMessage Parse(string raw) => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await Tickets.Database.DisposeAsync();
        _host.Dispose();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Mime;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.TestSupport;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.Tickets.Tests.Functional.Replies;

/// <summary>The ticket core and the reply services as the gateway composes them (<c>AddTickets</c>), on a real store (a SQLite file or a fresh PostgreSQL database).</summary>
internal sealed class ReplyHost : IAsyncDisposable
{
    public const string Support = "support@desk.test";
    public const string Agents = "agents@desk.test";
    public const string AgentEmail = "lisi@desk.test";
    private readonly string _dir = Directory.CreateTempSubdirectory("tg-replies-").FullName;
    private readonly IHost _host;

    public ReplyHost(StoreKind engine, Dictionary<string, string?>? extra = null, TimeProvider? clock = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        var settings = new Dictionary<string, string?>(TestDatabase.Create(engine, _dir).Settings)
        {
            ["Mail:SupportAddress"] = Support,
            ["Mail:AgentsAddress"] = Agents,
            ["Mail:ReplyTokenSecret"] = "test-secret-0123456789",
            ["Agents:0:Name"] = "李四",
            ["Agents:0:Email"] = AgentEmail,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTickets();
        builder.AddMailComposer();
        _host = builder.Build();
    }

    public IServiceProvider Services => _host.Services;

    public TicketService Tickets => _host.Services.GetRequiredService<TicketService>();

    public ReplyWorkflow Workflow => _host.Services.GetRequiredService<ReplyWorkflow>();

    public MailAcknowledgements Acknowledgements => _host.Services.GetRequiredService<MailAcknowledgements>();

    public AgentMailWorkflow AgentMail => _host.Services.GetRequiredService<AgentMailWorkflow>();

    public SurveyAnswers Surveys => _host.Services.GetRequiredService<SurveyAnswers>();

    public PhoneContacts Phone => _host.Services.GetRequiredService<PhoneContacts>();

    public Kpis.KpiCalculator Kpis => _host.Services.GetRequiredService<Kpis.KpiCalculator>();

    public Calls.CallStore Calls => _host.Services.GetRequiredService<Calls.CallStore>();

    public Outbox Outbox => _host.Services.GetRequiredService<Outbox>();

    public Task<T> WriteAsync<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, T> change) => Tickets.Database.WriteAsync(change);

    /// <summary>A ticket created from a customer's mail, as the intake will do it, with the workflow's new-ticket step.</summary>
    public Task<Ticket> FromMailAsync(MimeMessage mail, TicketKind kind, string language = "zh-CN") => WriteAsync((c, tx) =>
    {
        var from = mail.From.Mailboxes.First();
        var prepared = Tickets.Prepare(new NewTicket(Channel.Email, kind, new Customer(from.Name, from.Address, null), mail.Subject ?? "", mail.TextBody ?? "", Language: language));
        var ticket = Tickets.Insert(c, tx, prepared, mail.TextBody, "mail", mail.MessageId, from.Address, Support);
        Acknowledgements.OnNewTicketFromMail(c, tx, ticket, Incoming(mail));
        return ticket;
    });

    /// <summary>The queued mails, oldest first, parsed back from the stored bytes.</summary>
    public IReadOnlyList<(OutboxEntry Entry, MimeMessage Message)> Queued() =>
        [.. Outbox.List(null, 1000).Reverse().Select(e => (e, MimeMessage.Load(new MemoryStream(Outbox.Mime(e.Id)))))];

    /// <summary>The mail as the intake hands it to the reply side: written out and read back by the intake's reader.</summary>
    public static IncomingMail Incoming(MimeMessage mail)
    {
        using var stream = new MemoryStream();
        mail.WriteTo(stream);
        return new MailReader(new MailOptions { SupportAddress = Support }, new IntakeOptions()).Read(stream.ToArray()).Incoming!;
    }

    public static MimeMessage Mail(string from, string to, string subject, string body, string? inReplyTo = null)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        if (inReplyTo is not null)
        {
            m.InReplyTo = inReplyTo;
            m.References.Add(inReplyTo);
        }

        m.Body = new TextPart("plain") { Text = body };
        return m;
    }

    public async ValueTask DisposeAsync()
    {
        await Tickets.Database.DisposeAsync();
        _host.Dispose();
        TestDatabase.ClearPools();
        Directory.Delete(_dir, recursive: true);
    }
}

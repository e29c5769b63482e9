using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake.Imap;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Mime;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Replies;
using TicketGateway.Tickets.Storage;
using TicketGateway.MailIntake.Smtp;

namespace TicketGateway.MailIntake;

/// <summary>Registers the email channel: IMAP intake and SMTP delivery.</summary>
public static class MailIntakeHostingExtensions
{
    /// <summary>
    /// Adds the <c>Mail</c>, <c>Mail:Imap</c> and <c>Mail:Intake</c> sections, the mail reader and
    /// processor, the quarantine, and the IMAP poller (which runs only when <c>Mail:Imap:Host</c> is set).
    /// </summary>
    public static IHostApplicationBuilder AddMailIntake(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        MailCharsets.Register();
        var services = builder.Services;
        services.AddSchema(IntakeSchema.Module);
        RenamedSettingsWarning.Add(services, ImapOptions.Section, ("ReconnectMaxDelay", "RetryMaxDelay"));
        services.AddOptions<ImapOptions>().Bind(builder.Configuration.GetSection(ImapOptions.Section))
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Username), "Mail:Imap:Username must be set when Mail:Imap:Host is.")
            .Validate(o => !o.Enabled || o.Password is not null, "Mail:Imap:Password must be set when Mail:Imap:Host is.")
            .Validate<IOptions<MailOptions>>((o, mail) => !o.Enabled || mail.Value.Enabled, "Mail:SupportAddress must be set when Mail:Imap:Host is: it tells our own mail from customers'.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ImapOptions>, ImapOptionsValidator>();
        services.AddOptions<IntakeOptions>().Bind(builder.Configuration.GetSection(IntakeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeRulesValidator>();

        // The reply side (issue 4) in the mail's transaction: agents' mail, survey answers, acknowledgements, bounces.
        services.AddSingleton<IInboundMailClaimer>(sp => new ReplyMailClaimer(
            sp.GetRequiredService<AgentMailWorkflow>(), sp.GetRequiredService<SurveyAnswers>(), Value<MailOptions>(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInboundMailHandler>(sp => new ReplyMailHandler(sp.GetRequiredService<MailAcknowledgements>(), sp.GetRequiredService<Outbox>()));

        services.AddSingleton(sp => new MailReader(Value<MailOptions>(sp), Value<IntakeOptions>(sp)));
        services.AddSingleton(sp => new MailProcessor(
            sp.GetRequiredService<TicketService>(),
            Value<MailOptions>(sp),
            Value<IntakeOptions>(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<IInboundMailHandler>(),
            sp.GetServices<IInboundMailClaimer>()));
        services.AddSingleton(sp => new QuarantineService(
            sp.GetRequiredService<TicketService>(),
            sp.GetRequiredService<MailReader>(),
            sp.GetRequiredService<MailProcessor>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<TicketDatabase>();
            var folder = SpoolFolder(Value<IntakeOptions>(sp), database);
            return new MailboxSweeper(
                database,
                sp.GetRequiredService<MailReader>(),
                sp.GetRequiredService<MailProcessor>(),
                Value<ImapOptions>(sp),
                Value<IntakeOptions>(sp),
                new MailSpool(folder),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MailboxSweeper>>());
        });
        services.AddSingleton<IntakeHealth>();
        services.AddSingleton<MailboxLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<MailboxLeadership>());
        services.AddHealthChecks().AddCheck<IntakeHealth>("mail-intake").AddCheck<MailboxLeadership>("mail-leader", tags: ["ready"]);
        services.AddHostedService<ImapPoller>();

        // Outgoing mail (issue 4): MIME written at queue time, and the SMTP sender, only when Mail:Smtp:Host is set.
        builder.AddMailComposer();
        builder.AddSmtpSender();
        return builder;
    }

    /// <summary>
    /// Where the raw bytes of big mail are kept: <c>Mail:Intake:SpoolFolder</c>, else <c>mail-spool</c>
    /// beside the SQLite file, else (PostgreSQL) <c>data/mail-spool</c> beside the process; several
    /// nodes must share one folder (README).
    /// </summary>
    public static string SpoolFolder(IntakeOptions intake, TicketDatabase database)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(database);
        return intake.SpoolFolder is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : database.FileName is { } file
                ? Path.Combine(Path.GetDirectoryName(file) ?? ".", "mail-spool")
                : Path.GetFullPath(Path.Combine("data", "mail-spool"));
    }

    private static T Value<T>(IServiceProvider sp)
        where T : class => sp.GetRequiredService<IOptions<T>>().Value;
}

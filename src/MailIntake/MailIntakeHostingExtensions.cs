using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.MailIntake.Imap;
using TicketGateway.MailIntake.Intake;
using TicketGateway.MailIntake.Mime;
using TicketGateway.MailIntake.Parsing;
using TicketGateway.MailIntake.Retention;
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
            var folder = MailSpoolFolder.Resolve(Value<IntakeOptions>(sp), Value<StorageOptions>(sp));
            return new MailboxSweeper(
                sp.GetRequiredService<TicketDatabase>(),
                sp.GetRequiredService<MailReader>(),
                sp.GetRequiredService<MailProcessor>(),
                Value<ImapOptions>(sp),
                Value<IntakeOptions>(sp),
                new MailSpool(folder),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MailboxSweeper>>());
        });
        // Raw mail past its retention (issue 14): purged daily in serve.
        services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddSingleton(sp => new RawMailPurge(
            sp.GetRequiredService<TicketDatabase>(),
            Value<RetentionOptions>(sp),
            MailSpoolFolder.Resolve(Value<IntakeOptions>(sp), Value<StorageOptions>(sp)),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => new RetentionWorker(
            sp.GetRequiredService<RawMailPurge>(), Value<RetentionOptions>(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionWorker>>()));
        services.AddSingleton<IntakeHealth>();
        services.AddSingleton<IntakeLag>();
        services.AddSingleton<MailboxLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<MailboxLeadership>());
        services.AddHealthChecks().AddCheck<IntakeHealth>("mail-intake").AddCheck<MailboxLeadership>("mail-leader", tags: ["ready"]);
        services.AddHostedService<ImapPoller>();

        // Outgoing mail (issue 4): MIME written at queue time, and the SMTP sender, only when Mail:Smtp:Host is set.
        builder.AddMailComposer();
        builder.AddSmtpSender();
        return builder;
    }

    private static T Value<T>(IServiceProvider sp)
        where T : class => sp.GetRequiredService<IOptions<T>>().Value;
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Sla;

namespace TicketGateway.Tickets.Replies;

/// <summary>Registers templates, the outbox, the reply side (answers, acknowledgements, agents' mail, surveys) and its ticket observer.</summary>
public static class RepliesHostingExtensions
{
    /// <summary>Adds the <c>Mail</c>, <c>Replies</c> and <c>Agents</c> sections and the reply services.</summary>
    public static IHostApplicationBuilder AddReplies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MailOptions>().Bind(builder.Configuration.GetSection(MailOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddOptions<ReplyOptions>().Bind(builder.Configuration.GetSection(ReplyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplyOptions>, ReplyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReplyOptions>>().Value);

        var agents = builder.Configuration.GetSection(AgentOptions.Section).Get<List<AgentOptions>>() ?? [];
        services.AddSingleton(_ => new AgentDirectory(agents));
        services.AddSingleton(sp => new ReplyTemplates(
            sp.GetRequiredService<ReplyOptions>(),
            sp.GetRequiredService<IOptions<SlaOptions>>().Value.Zone(),
            sp.GetRequiredService<MailOptions>().SupportAddress,
            sp.GetRequiredService<TimeProvider>()));
        // The alert store queues its mail here and this outbox alerts through it: resolved on first use.
        services.AddSingleton(sp => new Outbox(
            sp.GetRequiredService<TicketService>(),
            sp.GetRequiredService<ReplyTemplates>(),
            sp.GetRequiredService<MailOptions>(),
            sp.GetRequiredService<ReplyOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            // The mail format is MailIntake's (AddMailIntake registers it); only queueing a mail needs it.
            () => sp.GetService<IMailComposer>() ?? throw new InvalidOperationException("No mail composer is registered: call AddMailIntake() (or AddMailComposer()) to queue mail."),
            sp.GetService<Duty.AlertStore>));
        services.AddSingleton(sp => new AgentNotifier(
            sp.GetRequiredService<Outbox>(), sp.GetRequiredService<ReplyTemplates>(), sp.GetRequiredService<MailOptions>(), sp.GetRequiredService<AgentDirectory>()));
        services.AddSingleton(sp => new CustomerMail(sp.GetRequiredService<Outbox>()));
        services.AddSingleton(sp => new ReplyWorkflow(
            sp.GetRequiredService<TicketService>(), sp.GetRequiredService<ReplyTemplates>(), sp.GetRequiredService<AgentNotifier>(), sp.GetRequiredService<CustomerMail>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new MailAcknowledgements(sp.GetRequiredService<ReplyTemplates>(), sp.GetRequiredService<AgentNotifier>(), sp.GetRequiredService<CustomerMail>()));
        services.AddSingleton(sp => new AgentMailWorkflow(
            sp.GetRequiredService<TicketService>(),
            sp.GetRequiredService<ReplyWorkflow>(),
            sp.GetRequiredService<Outbox>(),
            sp.GetRequiredService<ReplyTemplates>(),
            sp.GetRequiredService<AgentDirectory>(),
            sp.GetRequiredService<AgentNotifier>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AgentMailWorkflow>>()));
        services.AddSingleton(sp => new SurveyAnswers(
            sp.GetRequiredService<TicketService>(), sp.GetRequiredService<AgentNotifier>(), sp.GetRequiredService<MailOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PhoneContacts(sp.GetRequiredService<TicketService>(), sp.GetRequiredService<SurveyAnswers>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITicketObserver>(sp => new ReplyObserver(sp.GetRequiredService<ReplyWorkflow>, sp.GetRequiredService<AgentNotifier>));
        services.AddHostedService<RepliesStartupCheck>();
        services.AddHostedService<TemplateWatcher>();
        return builder;
    }

    /// <summary>Builds the templates and the agent list when the server starts, so an error in either stops start-up.</summary>
    private sealed class RepliesStartupCheck(IServiceProvider services, ILogger<ReplyWorkflow> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ReplyTemplates>();
            _ = services.GetRequiredService<AgentDirectory>();
            if (!services.GetRequiredService<MailOptions>().Enabled)
            {
                Log.RepliesDisabled(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

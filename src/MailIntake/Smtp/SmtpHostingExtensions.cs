using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.MailIntake.Smtp;

/// <summary>Registers the SMTP sender.</summary>
public static class SmtpHostingExtensions
{
    /// <summary>Adds the <c>Mail:Smtp</c> section and the sender worker, when <c>Mail:Smtp:Host</c> is set.</summary>
    public static IHostApplicationBuilder AddSmtpSender(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        RenamedSettingsWarning.Add(builder.Services, SmtpOptions.Section, ("RetryMin", "RetryBaseDelay"), ("RetryMax", "RetryMaxDelay"));
        if (string.IsNullOrWhiteSpace(builder.Configuration[SmtpOptions.Section + ":Host"]))
        {
            return builder;
        }

        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value);
        // The heartbeat first: its first beat is written before the sender claims anything.
        NodeHeartbeat.Add(builder.Services);
        builder.Services.AddHostedService<SmtpSender>();
        return builder;
    }
}

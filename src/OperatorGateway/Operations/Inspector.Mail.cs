using MailKit.Security;
using TicketGateway.MailIntake.Probes;
using TicketGateway.MailIntake.Smtp;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>The mail servers: the mailbox login and the age of the oldest unprocessed mail; SMTP connect, EHLO and login; their certificates.</summary>
internal sealed partial class Inspector
{
    private async Task<(CheckOutcome, string)> Imap(CancellationToken cancellationToken)
    {
        var o = imap.Value;
        if (!o.Enabled)
        {
            return InspectionCheck.Ok("mail intake is off (no Mail:Imap:Host)");
        }

        var where = $"{o.Host}:{o.EffectivePort} as {o.Username}";
        var (probe, failure) = await ProbeAsync(where, "Mail:Imap", ct => ImapProbe.RunAsync(o, ct), cancellationToken).ConfigureAwait(false);
        if (probe is null)
        {
            return InspectionCheck.Failed(failure!);
        }

        var text = $"{where}: login ok, {probe.Waiting} mail(s) waiting in {o.Folder}";
        var warnings = new List<string>();
        if (probe.OldestArrival is { } oldest)
        {
            var age = time.GetUtcNow() - oldest;
            text += $", oldest {Age(age)} old";
            if (age > Options.IntakeLagWarning)
            {
                warnings.Add($"the oldest has waited longer than {Age(Options.IntakeLagWarning)} (Operations:IntakeLagWarning): is the intake running?");
            }
        }

        return WithCertificate(text, probe, warnings);
    }

    private async Task<(CheckOutcome, string)> Smtp(CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(SmtpOptions.Section);
        if (string.IsNullOrWhiteSpace(section["Host"]))
        {
            return InspectionCheck.Ok("sending is off (no Mail:Smtp:Host): mail waits in the outbox");
        }

        var o = section.Get<SmtpOptions>() ?? new SmtpOptions();
        o.Timeout = o.Timeout < Options.CheckTimeout ? o.Timeout : Options.CheckTimeout;
        var where = $"{o.Host}:{o.Port}" + (string.IsNullOrEmpty(o.Username) ? "" : $" as {o.Username}");
        var (probe, failure) = await ProbeAsync(where, "Mail:Smtp", ct => SmtpProbe.RunAsync(o, ct), cancellationToken).ConfigureAwait(false);
        if (probe is null)
        {
            return InspectionCheck.Failed(failure!);
        }

        return WithCertificate($"{where}: connect, EHLO" + (string.IsNullOrEmpty(o.Username) ? "" : " and login") + " ok", probe, []);
    }

    /// <summary>Runs a mail probe; a failure becomes one line naming the server and, for a refused login, the settings to check.</summary>
    private static async Task<(MailProbeResult? Probe, string? Failure)> ProbeAsync(
        string where, string section, Func<CancellationToken, Task<MailProbeResult>> probe, CancellationToken cancellationToken)
    {
        try
        {
            return (await probe(cancellationToken).ConfigureAwait(false), null);
        }
        catch (AuthenticationException ex)
        {
            return (null, $"{where}: the server refused the login ({ex.Message.TrimEnd('.')}); check {section}:Username and {section}:Password");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"{where}: {Describe(ex)}");
        }
    }

    private (CheckOutcome, string) WithCertificate(string text, MailProbeResult probe, List<string> warnings)
    {
        if (probe.Certificate is { } c)
        {
            text += $"; certificate valid until {Local(c.NotAfter)}";
            if (c.NotAfter - time.GetUtcNow() < Options.CertificateWarning)
            {
                warnings.Add($"the server's certificate {c.Subject} expires {Local(c.NotAfter)}, within {Age(Options.CertificateWarning)}");
            }
        }

        return warnings.Count == 0 ? InspectionCheck.Ok(text) : InspectionCheck.Warning(text + "; " + string.Join("; ", warnings));
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;

namespace TicketGateway.MailIntake.Probes;

/// <summary>Remembers the certificate a mail server presented, validated as the product's clients validate it.</summary>
internal sealed class ServerCertificate
{
    public (string Subject, DateTimeOffset NotAfter)? Seen { get; private set; }

    public void Watch(IMailService client) => client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
    {
        if (certificate is not null)
        {
            var c = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            Seen = (c.Subject, new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }

        return errors == SslPolicyErrors.None;
    };
}

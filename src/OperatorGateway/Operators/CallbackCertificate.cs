using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>Our client certificate for an operator's receiver (<c>Operators:N:CallbackClientCertificate</c>), from a PEM or PFX file.</summary>
internal static class CallbackCertificate
{
    /// <summary>Loads the certificate with its private key; PFX by the extension <c>.pfx</c> or <c>.p12</c>, PEM otherwise.</summary>
    public static X509Certificate2 Load(OperatorOptions op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var path = op.CallbackClientCertificate ?? throw new InvalidOperationException("No callback client certificate is configured.");
        var password = string.IsNullOrEmpty(op.CallbackClientCertificatePassword) ? null : op.CallbackClientCertificatePassword;
        if (Path.GetExtension(path).ToUpperInvariant() is ".PFX" or ".P12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        using var pem = password is null ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
        if (!pem.HasPrivateKey)
        {
            throw new CryptographicException("the file holds no private key.");
        }

        // A PEM key is ephemeral; SslStream presents a client certificate more reliably from a PKCS#12 import.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Why the certificate cannot be used, in one sentence; null when it loads with its private key.</summary>
    public static string? Problem(OperatorOptions op)
    {
        try
        {
            using var certificate = Load(op);
            return certificate.HasPrivateKey ? null : "the file holds no private key.";
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names what is wrong (file missing, bad password, no key), never the password itself.
            var message = ex.Message.ReplaceLineEndings(" ").Trim();
            return message.EndsWith('.') ? message : message + ".";
        }
    }
}

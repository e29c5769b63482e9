using System.ComponentModel.DataAnnotations;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>One mobile operator allowed to call the gateway (an item of the <c>Operators</c> list).</summary>
internal sealed class OperatorOptions
{
    /// <summary>The operator's id, stored with each complaint, e.g. <c>cmcc-gd</c>.</summary>
    [Required(ErrorMessage = "must be set")]
    [RegularExpression("^[A-Za-z0-9._-]{1,32}\\z", ErrorMessage = "must be 1-32 characters of A-Z a-z 0-9 . _ -")]
    public string Id { get; set; } = "";

    /// <summary>A name people recognise, for logs and alerts.</summary>
    public string Name { get; set; } = "";

    /// <summary>The API key the operator sends as <c>authorization: Bearer KEY</c>; empty when it uses mutual TLS only.</summary>
    [MinLength(16, ErrorMessage = "must be at least 16 characters")]
    public string? ApiKey { get; set; }

    /// <summary>Where the operator's <c>ComplaintResultReceiver</c> listens, e.g. <c>https://cs.operator.example:8443</c>.</summary>
    [Required(ErrorMessage = "must be set to the operator's ComplaintResultReceiver address")]
    public string CallbackAddress { get; set; } = "";

    /// <summary>
    /// The key the gateway sends on every call to the operator's receiver as <c>authorization: Bearer KEY</c>,
    /// so the operator can tell our updates from anyone else's; never logged.
    /// </summary>
    [MinLength(16, ErrorMessage = "must be at least 16 characters")]
    public string? CallbackApiKey { get; set; }

    /// <summary>Our client certificate for mutual TLS with the operator's receiver: a PEM (certificate and key) or PFX/P12 file.</summary>
    public string? CallbackClientCertificate { get; set; }

    /// <summary>The password of <see cref="CallbackClientCertificate"/> (an encrypted PEM key or the PFX), if any; never logged.</summary>
    public string? CallbackClientCertificatePassword { get; set; }

    /// <summary>The SHA-1 thumbprint (hex) of the client certificate the operator presents for mutual TLS.</summary>
    [RegularExpression("^[0-9A-Fa-f]{40}\\z", ErrorMessage = "must be 40 hex digits (a SHA-1 certificate thumbprint)")]
    public string? ClientCertificateThumbprint { get; set; }
}

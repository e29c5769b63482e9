using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// The web console (section <c>Web</c>). Where it listens is Kestrel's endpoint <c>Web</c>
/// (<c>Kestrel:Endpoints:Web:Url</c>, default http://127.0.0.1:5081; TLS with its <c>Certificate</c> settings).
/// </summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The default address of the endpoint when <c>Kestrel:Endpoints:Web</c> is not configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    /// <summary>False: no web endpoint is bound at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the queue page asks whether tickets arrived or changed (at most 10 s, as agents expect).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:10")]
    public TimeSpan QueueRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A signed-in session ends after this long without a request.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The first-run set-up page (creating the first admin with the token <c>serve</c> logs) answers
    /// only requests from the machine itself unless this is true (a desk that reaches the server only remotely).
    /// </summary>
    public bool SetupFromAnyAddress { get; set; }

    /// <summary>
    /// Where the keys that protect sign-in cookies and forms are kept; empty: ASP.NET Core's default
    /// (the service user's profile). Several nodes behind one address need one shared folder, so a
    /// session signed in on one node is valid on the others.
    /// </summary>
    public string? KeyFolder { get; set; }
}

[OptionsValidator]
internal sealed partial class WebOptionsValidator : IValidateOptions<WebOptions>;

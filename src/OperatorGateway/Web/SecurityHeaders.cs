namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// The headers of every web console response: scripts and styles only from our own origin (no inline
/// script), no framing by anyone, no type sniffing, no referrer to elsewhere.
/// </summary>
internal static class SecurityHeaders
{
    // A customer's mail is shown as text, so no page of ours frames anything either.
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "frame-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    public static void Add(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }
}

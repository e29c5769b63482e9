using System.ComponentModel.DataAnnotations;

namespace TicketGateway.OperatorGateway.Complaints;

/// <summary>Configuration section <c>OperatorGateway</c>: limits on what operators may send.</summary>
internal sealed class ComplaintOptions
{
    public const string Section = "OperatorGateway";

    /// <summary>Calls each operator may make per second, sustained (token bucket refill).</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 50;

    /// <summary>Calls an operator may make at once above the sustained rate (token bucket size).</summary>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 100;

    /// <summary>Failed authentications one remote address may make per <see cref="AuthFailureWindow"/>; then every call from it is refused with RESOURCE_EXHAUSTED until the window ends.</summary>
    [Range(1, 1_000_000)]
    public int AuthFailureLimit { get; set; } = 20;

    /// <summary>The window in which failed authentications are counted per address, and logged in summary.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest complaint or supplement content, in characters.</summary>
    [Range(100, 1_000_000)]
    public int MaxContentLength { get; set; } = 20_000;

    /// <summary>The most attachments one request may carry.</summary>
    [Range(0, 100)]
    public int MaxAttachments { get; set; } = 10;

    /// <summary>The most attachment bytes one request may carry, all attachments together.</summary>
    [Range(0, 3_000_000)]
    public int MaxAttachmentBytes { get; set; } = 2 * 1024 * 1024;
}

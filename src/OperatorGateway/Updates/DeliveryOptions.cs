using System.ComponentModel.DataAnnotations;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>Configuration section <c>OperatorGateway:Delivery</c>: how updates reach the operators.</summary>
internal sealed class DeliveryOptions
{
    public const string Section = "OperatorGateway:Delivery";

    /// <summary>How often the outbox is checked when nothing woke the worker (changes made by the CLI are found this way).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The wait after the first failed attempt; each further failure doubles it (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts of one update.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The backoff between attempts of one update.</summary>
    public BackoffPolicy RetryBackoff() => new(RetryBaseDelay, RetryMaxDelay);

    /// <summary>How long one call to the operator may take (transport timeout of one attempt).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Updates of different complaints delivered to one operator at the same time.</summary>
    [Range(1, 256)]
    public int MaxConcurrent { get; set; } = 8;

    /// <summary>An update still undelivered this long after it was queued alerts the person on duty.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan UndeliveredAlertAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Share of failed calls, within the sampling time, that opens an operator's circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within the sampling time before the circuit may open.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 5;

    /// <summary>The window over which the failure ratio is measured.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stops calls to the operator before one trial call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TicketGateway.Tickets.Delivery;

namespace TicketGateway.Tickets.Duty;

/// <summary>Configuration section <c>Alerts</c>: deadline reminders, breach alerts and where they go.</summary>
public sealed class AlertsOptions : IValidatableObject
{
    /// <summary>The section name.</summary>
    public const string Section = "Alerts";

    /// <summary>A reminder goes out when a complaint has used this share of its resolution time.</summary>
    [Range(0.05, 0.99)]
    public double ReminderShare { get; set; } = 0.8;

    /// <summary>How often running complaints are checked and pending alerts delivered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The chat robot.</summary>
    [ValidateObjectMembers]
    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Checks the webhook URL is absolute HTTP(S).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Webhook.Enabled && (!Uri.TryCreate(Webhook.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            // Not echoing the value: it holds the robot's key.
            yield return new ValidationResult("must be an absolute http or https URL (or empty to turn chat alerts off)", ["Webhook.Url"]);
        }
    }
}

/// <summary>Configuration section <c>Alerts:Webhook</c>: a WeCom or DingTalk group robot.</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// The robot's URL, e.g. <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...</c>; empty
    /// turns the chat channel off. The URL carries the robot's key: it is a secret and never logged.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>Deprecated alias of <see cref="PostRetryDelay"/> (<c>Alerts:Webhook:RetryDelay</c>).</summary>
    public TimeSpan RetryDelay { get => PostRetryDelay; set => PostRetryDelay = value; }

    /// <summary>
    /// Deprecated alias (<c>Alerts:Webhook:RetryInterval</c>, a fixed wait between tries): sets both
    /// <see cref="RetryBaseDelay"/> and <see cref="RetryMaxDelay"/>.
    /// </summary>
    public TimeSpan RetryInterval
    {
        get => RetryBaseDelay;
        set => (RetryBaseDelay, RetryMaxDelay) = (value, value);
    }

    /// <summary>Deprecated alias of <see cref="RetryMaxAttempts"/> (<c>Alerts:Webhook:MaxAttempts</c>).</summary>
    public int MaxAttempts { get => RetryMaxAttempts; set => RetryMaxAttempts = value; }

    // The aliases above come first: the configuration binder sets properties in declaration order,
    // so a new key set next to its old one wins.

    /// <summary>First delay between the resilience handler's retries within one post (exponential, with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PostRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When a post failed even after its retries, the next try waits this long; doubled per further failure up to <see cref="RetryMaxDelay"/>, +-20 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two tries of one post (equal to <see cref="RetryBaseDelay"/>: a fixed interval).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After this many failed tries an alert's chat state becomes <c>failed</c>.</summary>
    [Range(1, 1000)]
    public int RetryMaxAttempts { get; set; } = 30;

    /// <summary>The backoff between tries of one post.</summary>
    public BackoffPolicy RetryBackoff() => new(RetryBaseDelay, RetryMaxDelay);

    /// <summary>Whether a webhook is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}

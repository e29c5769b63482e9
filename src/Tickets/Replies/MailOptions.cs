using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Replies;

/// <summary>Configuration section <c>Mail</c>: the addresses and the secret of the email channel's outgoing half.</summary>
/// <remarks>Without <see cref="SupportAddress"/> nothing is ever queued for sending: the gateway runs without email replies.</remarks>
public sealed class MailOptions : IValidatableObject
{
    /// <summary>The section name.</summary>
    public const string Section = "Mail";

    /// <summary>The support mailbox: the From of every mail we send, and the domain of our Message-IDs.</summary>
    public string? SupportAddress { get; set; }

    /// <summary>The agents' shared address: notifications and warnings go there.</summary>
    public string? AgentsAddress { get; set; }

    /// <summary>The person on duty (值班); alerts are mailed there when set.</summary>
    public string? DutyAddress { get; set; }

    /// <summary>The key of the signed per-ticket reply addresses (HMAC-SHA256); at least 16 characters.</summary>
    public string? ReplyTokenSecret { get; set; }

    /// <summary>True when email replies are configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(SupportAddress);

    /// <summary>Checks the addresses and that agents' mail can be verified.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(SupportAddress), SupportAddress), (nameof(AgentsAddress), AgentsAddress), (nameof(DutyAddress), DutyAddress) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !MailAddresses.IsPlain(value))
            {
                yield return new ValidationResult($"must be a plain address like support@example.com, not '{value}'", [name]);
            }
        }

        if (!string.IsNullOrWhiteSpace(SupportAddress) && SupportAddress.Contains('+', StringComparison.Ordinal))
        {
            yield return new ValidationResult("must not contain '+': the signed reply addresses add '+TG-...' to it", [nameof(SupportAddress)]);
        }

        if (Enabled && (ReplyTokenSecret?.Length ?? 0) < 16)
        {
            yield return new ValidationResult("must be set to a secret of at least 16 characters when Mail:SupportAddress is set", [nameof(ReplyTokenSecret)]);
        }
    }
}

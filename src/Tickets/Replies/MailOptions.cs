using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Replies;

/// <summary>Configuration section <c>Mail</c>: who we are on email, for intake and replies alike.</summary>
/// <remarks>
/// Without <see cref="SupportAddress"/> nothing is ever queued for sending and no mailbox may be
/// polled: the gateway runs without the email channel.
/// </remarks>
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

    /// <summary>The prefix of ticket tags in subjects, <c>TG</c> for <c>[TG-000123]</c>.</summary>
    [Required(ErrorMessage = "must be set, e.g. \"TG\"")]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,9}\\z", ErrorMessage = "must be 1 to 10 letters or digits starting with a letter")]
    public string TagPrefix { get; set; } = "TG";

    /// <summary>Limits of the mail we send (<c>Mail:Outbound</c>).</summary>
    public OutboundMailOptions Outbound { get; set; } = new();

    /// <summary>The domain of <see cref="SupportAddress"/>, lower case: the domain of every Message-ID we write; empty when unset.</summary>
    public string Domain => string.IsNullOrWhiteSpace(SupportAddress) ? "" : SupportAddress[(SupportAddress.LastIndexOf('@') + 1)..].Trim().ToLowerInvariant();

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

        if (Outbound.MaxAttachmentBytes is < 0 or > 100L * 1024 * 1024)
        {
            yield return new ValidationResult("must be between 0 and 104857600 bytes (Mail:Outbound:MaxAttachmentBytes)", ["Outbound:MaxAttachmentBytes"]);
        }

        if (Enabled && (ReplyTokenSecret?.Length ?? 0) < 16)
        {
            yield return new ValidationResult("must be set to a secret of at least 16 characters when Mail:SupportAddress is set", [nameof(ReplyTokenSecret)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace TicketGateway.MailIntake;

/// <summary>Configuration section <c>Mail</c>: who we are on email.</summary>
public sealed class MailOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Mail";

    /// <summary>Our support address; its domain is the domain of the Message-IDs we write.</summary>
    [Required(ErrorMessage = "must be set, e.g. \"support@example.com\"")]
    [RegularExpression(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", ErrorMessage = "must be an email address, e.g. \"support@example.com\"")]
    public string SupportAddress { get; set; } = "support@example.com";

    /// <summary>The prefix of ticket tags in subjects, <c>TG</c> for <c>[TG-000123]</c>.</summary>
    [Required(ErrorMessage = "must be set, e.g. \"TG\"")]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,9}$", ErrorMessage = "must be 1 to 10 letters or digits starting with a letter")]
    public string TagPrefix { get; set; } = "TG";

    /// <summary>The domain of <see cref="SupportAddress"/>, lower case.</summary>
    public string Domain => SupportAddress[(SupportAddress.LastIndexOf('@') + 1)..].ToLowerInvariant();
}

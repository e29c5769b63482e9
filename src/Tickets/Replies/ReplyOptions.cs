using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Replies;

/// <summary>Configuration section <c>Replies</c>: templates and what they tell the customer.</summary>
public sealed class ReplyOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Replies";

    /// <summary>A folder whose <c>LANG/NAME.PART.sbn</c> files override the shipped templates by name.</summary>
    public string? TemplateFolder { get; set; }

    /// <summary>The hotline number templates show.</summary>
    [Required(ErrorMessage = "must be set, e.g. 400-000-0000")]
    public string Hotline { get; set; } = "400-000-0000";

    /// <summary>
    /// The language of every text for agents and the person on duty (notifications, agent help,
    /// warnings, alerts): <c>zh-CN</c> or <c>en</c>. Customers get their own language.
    /// </summary>
    [AllowedValues("zh-CN", "en", ErrorMessage = "must be zh-CN or en")]
    public string DeskLanguage { get; set; } = "zh-CN";

    /// <summary>The name the desk signs with.</summary>
    [Required(ErrorMessage = "must be set")]
    public string SupportName { get; set; } = "TicketGateway";
}

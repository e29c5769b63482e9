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

    /// <summary>The name the desk signs with.</summary>
    [Required(ErrorMessage = "must be set")]
    public string SupportName { get; set; } = "TicketGateway";
}

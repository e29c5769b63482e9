using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace TicketGateway.Tickets.Kpis;

/// <summary>Configuration section <c>Quality</c>: the repeat-complaint rule.</summary>
public sealed class QualityOptions : IValidatableObject
{
    /// <summary>The section name.</summary>
    public const string Section = "Quality";

    /// <summary>
    /// A new complaint from the same customer within this long after an earlier complaint on the same
    /// subject or service code is a repeat complaint, when the earlier one was answered by then or was
    /// past its first-reply or resolution deadline without that answer.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after a ticket's resolution its survey answer may still come: until then a ticket with no
    /// answer is pending in the satisfaction indicators, afterwards it counts as not satisfied.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan SurveyWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How a service code (业务代码) is found in a complaint's subject or first message: a regular
    /// expression whose first group is the code.
    /// </summary>
    [Required(ErrorMessage = "must be set to a regular expression whose first group is the service code")]
    public string ServiceCodePattern { get; set; } = @"(?:业务代码|服务代码|service[ _-]?code)\s*[:：=]?\s*([0-9A-Za-z_-]{2,32})";

    /// <summary>Checks that the pattern compiles and has a group.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        Regex? regex = null;
        string? error = null;
        try
        {
            regex = new Regex(ServiceCodePattern ?? "", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            error = $"must be a valid regular expression ({ex.Message})";
        }

        if (error is null && regex!.GetGroupNumbers().Length < 2)
        {
            error = "must have a group (parentheses) around the service code";
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(ServiceCodePattern)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace TicketGateway.Tickets.Duty;

/// <summary>Configuration section <c>Duty</c>: the roster of the people on duty (值班).</summary>
public sealed class DutyOptions : IValidatableObject
{
    /// <summary>The section name.</summary>
    public const string Section = "Duty";

    /// <summary>Everyone who takes shifts.</summary>
    public List<DutyPerson> People { get; set; } = [];

    /// <summary>Checks every person, shift and exception, naming the entry that is wrong.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < People.Count; i++)
        {
            var p = People[i];
            var at = $"People:{i}";
            if (string.IsNullOrWhiteSpace(p.Name))
            {
                yield return new ValidationResult("must give the person's name", [$"{at}:Name"]);
            }

            if (string.IsNullOrWhiteSpace(p.Email) && string.IsNullOrWhiteSpace(p.Mobile))
            {
                yield return new ValidationResult("must give an email address or a mobile number (or both)", [$"{at}:Email"]);
            }

            // Alert mail goes there: an address the outbox cannot parse would stop every alert round.
            if (p.Email is { Length: > 0 } email && !Replies.MailAddresses.IsPlain(email))
            {
                yield return new ValidationResult($"must be a plain email address like duty@example.com, not '{email}'", [$"{at}:Email"]);
            }

            for (var s = 0; s < p.Shifts.Count; s++)
            {
                if (p.Shifts[s].Days.Count == 0)
                {
                    yield return new ValidationResult("must list at least one weekday (Monday ... Sunday)", [$"{at}:Shifts:{s}:Days"]);
                }

                // Days are read as text: the configuration binder silently drops list items it cannot convert.
                foreach (var day in p.Shifts[s].Days.Where(d => !DutyShift.TryParseDay(d, out _)))
                {
                    yield return new ValidationResult($"must name weekdays (Monday ... Sunday), not '{day}'", [$"{at}:Shifts:{s}:Days"]);
                }

                foreach (var error in Times(p.Shifts[s].From, p.Shifts[s].To, $"{at}:Shifts:{s}"))
                {
                    yield return error;
                }
            }

            for (var e = 0; e < p.Exceptions.Count; e++)
            {
                var x = p.Exceptions[e];
                if (x.Date == default)
                {
                    yield return new ValidationResult("must give the date (YYYY-MM-DD)", [$"{at}:Exceptions:{e}:Date"]);
                }

                if ((x.From is null) != (x.To is null))
                {
                    yield return new ValidationResult("must give both From and To for a changed shift, or neither for a day off", [$"{at}:Exceptions:{e}:From"]);
                }
                else if (x.From is { } from && x.To is { } to)
                {
                    foreach (var error in Times(from, to, $"{at}:Exceptions:{e}"))
                    {
                        yield return error;
                    }
                }
            }
        }
    }

    private static IEnumerable<ValidationResult> Times(TimeSpan from, TimeSpan to, string at)
    {
        if (from < TimeSpan.Zero || from >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("must be a time of day between 00:00:00 and 23:59:59", [$"{at}:From"]);
        }

        if (to < TimeSpan.Zero || to >= TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("must be a time of day between 00:00:00 and 23:59:59 (a To at or before From ends the next day)", [$"{at}:To"]);
        }
    }
}

using Microsoft.Extensions.Options;
using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Intake;

/// <summary>
/// Checks the keyword rules of <c>Mail:Intake</c>, naming each wrong entry by its configuration key
/// (<c>Mail:Intake:KindRules:0:Kind</c>); the generated validator cannot name list items.
/// </summary>
internal sealed class IntakeRulesValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < (options.KindRules?.Count ?? 0); i++)
        {
            var rule = options.KindRules![i];
            if (!Names.TryParse<TicketKind>(rule.Kind, out _))
            {
                failures.Add($"{IntakeOptions.Section}:KindRules:{i}:Kind must be one of {Names.All<TicketKind>()}.");
            }

            if (!rule.Keywords.Any(k => !string.IsNullOrWhiteSpace(k)))
            {
                failures.Add($"{IntakeOptions.Section}:KindRules:{i}:Keywords must hold at least one word.");
            }
        }

        for (var i = 0; i < (options.LevelRules?.Count ?? 0); i++)
        {
            var rule = options.LevelRules![i];
            if (rule.Level is < 1 or > 4)
            {
                failures.Add($"{IntakeOptions.Section}:LevelRules:{i}:Level must be between 1 and 4.");
            }

            if (!rule.Keywords.Any(k => !string.IsNullOrWhiteSpace(k)))
            {
                failures.Add($"{IntakeOptions.Section}:LevelRules:{i}:Keywords must hold at least one word.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

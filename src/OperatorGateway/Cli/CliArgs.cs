namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// The arguments of one CLI command: positionals, <c>--name value</c> options and <c>--flag</c>
/// switches. Each command declares what it accepts, so a typo is an error, not a silent default.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly string _command;

    private CliArgs(string command) => _command = command;

    public IReadOnlyList<string> Positionals => _positionals;

    public static CliArgs Parse(string command, IReadOnlyList<string> args, IEnumerable<string> options, IEnumerable<string> flags)
    {
        var known = options.ToHashSet(StringComparer.Ordinal);
        var knownFlags = flags.ToHashSet(StringComparer.Ordinal);
        var result = new CliArgs(command);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                result._positionals.Add(a);
                continue;
            }

            var name = a[2..];
            string? inlineValue = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                inlineValue = name[(eq + 1)..];
                name = name[..eq];
            }

            if (knownFlags.Contains(name))
            {
                result._flags.Add(name);
            }
            else if (known.Contains(name))
            {
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new CliException($"{command}: option --{name} needs a value."));
                if (!result._options.TryAdd(name, value))
                {
                    throw new CliException($"{command}: option --{name} is given twice.");
                }
            }
            else
            {
                throw new CliException($"{command}: unknown option --{name}; run 'ticketgw help' for the options of each command.");
            }
        }

        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public string Required(string name) =>
        _options.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : throw new CliException($"{_command}: missing required option --{name}.");

    public string Positional(int index, string what)
    {
        if (index < _positionals.Count)
        {
            return _positionals[index];
        }

        throw new CliException($"{_command}: missing {what}.");
    }

    public void NoMorePositionals(int count)
    {
        if (_positionals.Count > count)
        {
            throw new CliException($"{_command}: unexpected argument '{_positionals[count]}'.");
        }
    }
}

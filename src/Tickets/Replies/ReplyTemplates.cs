using System.Globalization;
using System.Reflection;
using System.Text;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace TicketGateway.Tickets.Replies;

/// <summary>
/// The Scriban templates, one per purpose and language, each with a subject, a text body and an
/// optional HTML body (<c>LANG/NAME.subject.sbn</c>, <c>.text.sbn</c>, <c>.html.sbn</c>). The shipped
/// defaults are embedded; files in <c>Replies:TemplateFolder</c> override them by the same path.
/// Everything is parsed and rendered once with sample data when the object is built, so a broken
/// template stops start-up naming its file, line and column. <see cref="TryReload"/> reads the
/// folder again while the gateway runs; a set with errors is refused and the last good one stays.
/// </summary>
public sealed class ReplyTemplates
{
    private const string ResourcePrefix = "template/";
    private const string EmbeddedPrefix = "embedded:";
    private readonly ReplyOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly string _supportAddress;
    private readonly TimeProvider _time;

    // Replaced whole by a reload; a render reads it once, so it never mixes two versions.
    private volatile Dictionary<(string Name, string Language), Parts> _templates;
    private int _version;
    private int _refused;

    /// <summary>Loads, parses and checks every template.</summary>
    /// <exception cref="InvalidDataException">A template does not parse or render, or a required one is missing; the message lists each problem with file, line and column.</exception>
    public ReplyTemplates(ReplyOptions options, TimeZoneInfo zone, string? supportAddress, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _zone = zone;
        _time = time;
        _supportAddress = string.IsNullOrWhiteSpace(supportAddress) ? "support@example.com" : supportAddress;
        _templates = Load(out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidDataException("Templates have errors: " + string.Join(" ", errors.Distinct()));
        }
    }

    /// <summary>The language of texts for agents and the person on duty (<c>Replies:DeskLanguage</c>).</summary>
    public string DeskLanguage => _options.DeskLanguage;

    /// <summary>The folder of custom templates (<c>Replies:TemplateFolder</c>), or null.</summary>
    public string? Folder => string.IsNullOrWhiteSpace(_options.TemplateFolder) ? null : _options.TemplateFolder;

    /// <summary>How many times the templates were reloaded successfully (0 after start-up).</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>How many reloads were refused because of errors.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// Reads the template folder again. When every template parses and renders with sample data,
    /// the new set replaces the old one and null is returned; otherwise the last good set stays and
    /// the errors are returned as one sentence per problem.
    /// </summary>
    public string? TryReload()
    {
        var templates = Load(out var errors);
        if (errors.Count > 0)
        {
            Interlocked.Increment(ref _refused);
            return string.Join(" ", errors.Distinct());
        }

        _templates = templates;
        Interlocked.Increment(ref _version);
        return null;
    }

    /// <summary>The names of every template, shipped and custom, with the languages each exists in.</summary>
    public IReadOnlyList<(string Name, string Language)> All =>
        [.. _templates.Where(t => t.Value.Subject is not null && t.Value.Text is not null).Select(t => t.Key).OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Language, StringComparer.Ordinal)];

    /// <summary>Where each template part came from (embedded or a file), for <c>templates check</c>.</summary>
    public string SourceOf(string name, string language) =>
        _templates.TryGetValue((name, language), out var p) ? p.Source : "-";

    /// <summary>True when any part of the template in that language comes from the template folder.</summary>
    public bool FromFolder(string name, string language) =>
        _templates.TryGetValue((name, language), out var p) && p.Source.Split(", ").Any(s => !s.StartsWith(EmbeddedPrefix, StringComparison.Ordinal));

    /// <summary>True when a template of that name exists (in the default language at least).</summary>
    public bool Exists(string name) => _templates.ContainsKey((name, TemplateNames.Languages[0]));

    /// <summary>Renders a template in a language (falling back to the default language).</summary>
    /// <exception cref="InvalidDataException">The template does not exist or fails while rendering.</exception>
    public RenderedMail Render(string name, string language, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var templates = _templates;
        if (!templates.TryGetValue((name, language), out var parts) || parts.Subject is null)
        {
            language = TemplateNames.Languages[0];
            if (!templates.TryGetValue((name, language), out parts) || parts.Subject is null)
            {
                throw new InvalidDataException($"There is no template named '{name}'.");
            }
        }

        return Render(parts, language, data);
    }

    private RenderedMail Render(Parts parts, string language, TemplateData data)
    {
        var text = RenderPart(parts.Text!, TemplateModel.Build(data, language, html: false, _zone, _options, _supportAddress));
        var subject = MailAddresses.HeaderSafe(RenderPart(parts.Subject!, TemplateModel.Build(data, language, html: false, _zone, _options, _supportAddress)), TicketService.MaxSubjectLength);
        var html = parts.Html is null ? null : RenderPart(parts.Html, TemplateModel.Build(data, language, html: true, _zone, _options, _supportAddress));
        return new RenderedMail(subject, text.Trim('\n') + "\n", html);
    }

    // Scriban's built-in functions (string, date, math, ...), built once. A context made without them
    // clones Scriban's defaults, by reflection: most of an acknowledgement's rendering, and a tenth of the
    // mail intake's writer (BENCHMARKS.md). Read-only, so no template changes them for the next mail (a
    // template that sets date.format fails its trial render when loaded), and renders on several threads
    // share them safely.
    private static readonly ScriptObject Builtins = ReadOnlyBuiltins();

    private static ScriptObject ReadOnlyBuiltins()
    {
        var builtins = TemplateContext.GetDefaultBuiltinObject();
        foreach (var value in builtins.Values)
        {
            if (value is ScriptObject nested)
            {
                nested.IsReadOnly = true;
            }
        }

        builtins.IsReadOnly = true;
        return builtins;
    }

    private static string RenderPart(Template template, ScriptObject model)
    {
        // A fresh context per render, over the shared read-only built-ins: no state leaks between mails;
        // no loader, so include fails; limits keep a bad template from spinning or producing megabytes.
        var context = new TemplateContext(Builtins)
        {
            LoopLimit = 1_000,
            RecursiveLimit = 20,
            LimitToString = 100_000,
            NewLine = "\n",
            StrictVariables = false,
        };
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(model);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new InvalidDataException($"{Where(ex.Span)}: {ex.OriginalMessage}", ex);
        }
    }

    private Dictionary<(string Name, string Language), Parts> Load(out List<string> errors)
    {
        var templates = new Dictionary<(string Name, string Language), Parts>();
        errors = [];
        foreach (var (path, source, text) in Sources(_options.TemplateFolder, errors))
        {
            Add(templates, path, source, text, errors);
        }

        foreach (var language in TemplateNames.Languages)
        {
            foreach (var name in TemplateNames.Required.Concat(TemplateNames.Canned))
            {
                if (!templates.TryGetValue((name, language), out var parts) || parts.Subject is null || parts.Text is null)
                {
                    errors.Add($"template {language}/{name}: needs both {name}.subject.sbn and {name}.text.sbn.");
                }
            }
        }

        foreach (var ((name, language), parts) in templates)
        {
            if (parts.Subject is null || parts.Text is null)
            {
                if (!TemplateNames.Required.Contains(name) && !TemplateNames.Canned.Contains(name))
                {
                    errors.Add($"template {language}/{name}: needs both {name}.subject.sbn and {name}.text.sbn.");
                }

                continue;
            }

            try
            {
                Render(parts, language, TemplateModel.Sample(_time.GetUtcNow()));
            }
            catch (InvalidDataException ex)
            {
                errors.Add(ex.Message);
            }
        }

        return templates;
    }

    private static void Add(Dictionary<(string Name, string Language), Parts> templates, string path, string source, string text, List<string> errors)
    {
        // path is LANG/NAME.PART.sbn
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var file = path[(slash + 1)..];
        var pieces = file.Split('.');
        if (slash <= 0 || pieces.Length != 3 || pieces[2] != "sbn" || pieces[1] is not ("subject" or "text" or "html"))
        {
            errors.Add($"{source}: template files are named LANG/NAME.subject.sbn, LANG/NAME.text.sbn or LANG/NAME.html.sbn.");
            return;
        }

        var language = path[..slash];
        var template = Template.Parse(text, source);
        if (template.HasErrors)
        {
            errors.AddRange(template.Messages.Where(m => m.Type == ParserMessageType.Error).Select(m => $"{Where(m.Span)}: {m.Message}."));
            return;
        }

        var key = (pieces[0], language);
        var parts = templates.TryGetValue(key, out var p) ? p : new Parts();
        templates[key] = pieces[1] switch
        {
            "subject" => parts with { Subject = template },
            "text" => parts with { Text = template },
            _ => parts with { Html = template },
        };
        templates[key] = templates[key] with { Source = parts.Source.Length == 0 ? source : parts.Source + ", " + source };
    }

    // Scriban counts lines and columns from 0; editors count from 1.
    private static string Where(SourceSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{span.FileName} line {span.Start.Line + 1}, column {span.Start.Column + 1}");

    private static IEnumerable<(string Path, string Source, string Text)> Sources(string? folder, List<string> errors)
    {
        var assembly = typeof(ReplyTemplates).Assembly;
        var embedded = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..].Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(folder))
        {
            if (!Directory.Exists(folder))
            {
                errors.Add($"Replies:TemplateFolder '{folder}' does not exist.");
            }
            else
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.sbn", SearchOption.AllDirectories))
                {
                    overrides[Path.GetRelativePath(folder, file).Replace('\\', '/')] = Path.GetFullPath(file);
                }
            }
        }

        foreach (var path in embedded.Union(overrides.Keys).Order(StringComparer.Ordinal))
        {
            if (overrides.TryGetValue(path, out var file))
            {
                string? text = null;
                try
                {
                    text = File.ReadAllText(file, Encoding.UTF8);
                }
                catch (IOException ex)
                {
                    // A file being replaced by an editor while the gateway reloads: the next change event reads it again.
                    errors.Add($"{file}: {ex.Message}");
                }

                if (text is not null)
                {
                    yield return (path, file, text);
                }
            }
            else
            {
                using var stream = assembly.GetManifestResourceStream(ResourcePrefix + path)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                yield return (path, EmbeddedPrefix + path, reader.ReadToEnd());
            }
        }
    }

    private sealed record Parts
    {
        public Template? Subject { get; init; }

        public Template? Text { get; init; }

        public Template? Html { get; init; }

        public string Source { get; init; } = "";
    }
}

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
/// template stops start-up naming its file, line and column.
/// </summary>
public sealed class ReplyTemplates
{
    private const string ResourcePrefix = "template/";
    private readonly Dictionary<(string Name, string Language), Parts> _templates = [];
    private readonly ReplyOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly string _supportAddress;

    /// <summary>Loads, parses and checks every template.</summary>
    /// <exception cref="InvalidDataException">A template does not parse or render, or a required one is missing; the message lists each problem with file, line and column.</exception>
    public ReplyTemplates(ReplyOptions options, TimeZoneInfo zone, string? supportAddress, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _zone = zone;
        _supportAddress = string.IsNullOrWhiteSpace(supportAddress) ? "support@example.com" : supportAddress;
        var errors = new List<string>();
        foreach (var (path, source, text) in Sources(options.TemplateFolder, errors))
        {
            Add(path, source, text, errors);
        }

        foreach (var language in TemplateNames.Languages)
        {
            foreach (var name in TemplateNames.Required)
            {
                if (!_templates.TryGetValue((name, language), out var parts) || parts.Subject is null || parts.Text is null)
                {
                    errors.Add($"template {language}/{name}: needs both {name}.subject.sbn and {name}.text.sbn.");
                }
            }
        }

        foreach (var ((name, language), parts) in _templates)
        {
            if (parts.Subject is null || parts.Text is null)
            {
                if (!TemplateNames.Required.Contains(name))
                {
                    errors.Add($"template {language}/{name}: needs both {name}.subject.sbn and {name}.text.sbn.");
                }

                continue;
            }

            try
            {
                Render(name, language, TemplateModel.Sample(time.GetUtcNow()));
            }
            catch (InvalidDataException ex)
            {
                errors.Add(ex.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException("Templates have errors: " + string.Join(" ", errors.Distinct()));
        }
    }

    /// <summary>The names of every template, shipped and custom, with the languages each exists in.</summary>
    public IReadOnlyList<(string Name, string Language)> All =>
        [.. _templates.Where(t => t.Value.Subject is not null && t.Value.Text is not null).Select(t => t.Key).OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.Language, StringComparer.Ordinal)];

    /// <summary>Where each template part came from (embedded or a file), for <c>templates check</c>.</summary>
    public string SourceOf(string name, string language) =>
        _templates.TryGetValue((name, language), out var p) ? p.Source : "-";

    /// <summary>True when a template of that name exists (in the default language at least).</summary>
    public bool Exists(string name) => _templates.ContainsKey((name, TemplateNames.Languages[0]));

    /// <summary>Renders a template in a language (falling back to the default language).</summary>
    /// <exception cref="InvalidDataException">The template does not exist or fails while rendering.</exception>
    public RenderedMail Render(string name, string language, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!_templates.TryGetValue((name, language), out var parts) || parts.Subject is null)
        {
            language = TemplateNames.Languages[0];
            if (!_templates.TryGetValue((name, language), out parts) || parts.Subject is null)
            {
                throw new InvalidDataException($"There is no template named '{name}'.");
            }
        }

        var text = RenderPart(parts.Text!, TemplateModel.Build(data, language, html: false, _zone, _options, _supportAddress));
        var subject = MailAddresses.HeaderSafe(RenderPart(parts.Subject, TemplateModel.Build(data, language, html: false, _zone, _options, _supportAddress)), TicketService.MaxSubjectLength);
        var html = parts.Html is null ? null : RenderPart(parts.Html, TemplateModel.Build(data, language, html: true, _zone, _options, _supportAddress));
        return new RenderedMail(subject, text.Trim('\n') + "\n", html);
    }

    private static string RenderPart(Template template, ScriptObject model)
    {
        // A fresh context per render: no state leaks between mails; no loader, so include fails;
        // limits keep a bad template from spinning or producing megabytes.
        var context = new TemplateContext
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

    private void Add(string path, string source, string text, List<string> errors)
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
        var parts = _templates.TryGetValue(key, out var p) ? p : new Parts();
        _templates[key] = pieces[1] switch
        {
            "subject" => parts with { Subject = template },
            "text" => parts with { Text = template },
            _ => parts with { Html = template },
        };
        _templates[key] = _templates[key] with { Source = parts.Source.Length == 0 ? source : parts.Source + ", " + source };
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
                yield return (path, file, File.ReadAllText(file, Encoding.UTF8));
            }
            else
            {
                using var stream = assembly.GetManifestResourceStream(ResourcePrefix + path)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                yield return (path, "embedded:" + path, reader.ReadToEnd());
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

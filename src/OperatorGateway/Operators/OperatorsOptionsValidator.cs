using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>
/// Validates every operator with the generated <see cref="OperatorOptionsValidator"/> and adds the
/// rules across the list, naming keys as people configure them (<c>Operators:1:ApiKey</c>).
/// </summary>
internal sealed class OperatorsOptionsValidator : IValidateOptions<OperatorsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorsOptions options)
    {
        var failures = new List<string>();
        var item = new OperatorOptionsValidator();
        for (var i = 0; i < options.List.Count; i++)
        {
            var op = options.List[i];
            var key = $"{OperatorsOptions.Section}:{i}";
            var result = item.Validate(null, op);
            if (result.Failed)
            {
                // Generated failures read "Member: message" because every attribute has its ErrorMessage.
                failures.AddRange(result.Failures.Select(f => $"{key}:{f.Replace(": ", " ", StringComparison.Ordinal).TrimEnd('.')}."));
            }

            if (string.IsNullOrEmpty(op.ApiKey) && string.IsNullOrEmpty(op.ClientCertificateThumbprint))
            {
                failures.Add($"{key}:ApiKey must be set (or {key}:ClientCertificateThumbprint for mutual TLS).");
            }

            if (string.IsNullOrEmpty(op.CallbackApiKey))
            {
                failures.Add($"{key}:CallbackApiKey must be set: the gateway sends it to the operator's receiver so the operator can tell our updates from anyone else's.");
            }

            if (!string.IsNullOrEmpty(op.CallbackClientCertificate) && CallbackCertificate.Problem(op) is { } problem)
            {
                failures.Add($"{key}:CallbackClientCertificate '{op.CallbackClientCertificate}' cannot be read: {problem}");
            }

            if (!Uri.TryCreate(op.CallbackAddress, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"{key}:CallbackAddress must be an absolute http:// or https:// address.");
            }

            if (options.List.FindIndex(o => o.Id == op.Id) < i)
            {
                failures.Add($"{key}:Id '{op.Id}' is used by an earlier operator; ids must be unique.");
            }

            if (!string.IsNullOrEmpty(op.ApiKey) && options.List.FindIndex(o => o.ApiKey == op.ApiKey) < i)
            {
                failures.Add($"{key}:ApiKey is the same as an earlier operator's; every operator needs its own key.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>The configured operators, and who a caller is.</summary>
internal sealed class OperatorDirectory
{
    private readonly (OperatorOptions Operator, byte[] KeyHash)[] _byKey;
    private readonly OperatorOptions[] _operators;

    public OperatorDirectory(IOptions<OperatorsOptions> options)
    {
        _operators = [.. options.Value.List];
        _byKey = [.. _operators.Where(o => !string.IsNullOrEmpty(o.ApiKey)).Select(o => (o, Hash(o.ApiKey!)))];
    }

    public IReadOnlyList<OperatorOptions> All => _operators;

    public OperatorOptions? Find(string id) => Array.Find(_operators, o => o.Id == id);

    /// <summary>The operator owning an API key, or null. Every configured key is compared, in constant time.</summary>
    public OperatorOptions? ByApiKey(string presented)
    {
        // Comparing hashes keeps the time independent of the key's length and content; looking at
        // every key keeps it independent of which operator matched.
        var hash = Hash(presented);
        OperatorOptions? found = null;
        foreach (var (op, keyHash) in _byKey)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found = op;
            }
        }

        return found;
    }

    /// <summary>The operator whose client certificate has this thumbprint, or null.</summary>
    public OperatorOptions? ByThumbprint(string thumbprint) =>
        Array.Find(_operators, o => o.ClientCertificateThumbprint is { Length: > 0 } t && string.Equals(t, thumbprint, StringComparison.OrdinalIgnoreCase));

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

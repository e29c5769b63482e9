using System.Security.Cryptography;
using System.Text;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// The one-time token of the first-run set-up page, made when <c>serve</c> starts and logged there;
/// each node has its own. It is spent when the first admin is created.
/// </summary>
internal sealed class SetupToken
{
    private readonly byte[] _token = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    private int _spent;

    public string Value => Encoding.ASCII.GetString(_token);

    public bool Spent => Volatile.Read(ref _spent) != 0;

    /// <summary>True for the unspent token (compared in constant time).</summary>
    public bool Matches(string? candidate) =>
        !Spent && candidate is not null && CryptographicOperations.FixedTimeEquals(_token, Encoding.ASCII.GetBytes(candidate));

    /// <summary>Spends the token; false when it was already spent (two set-ups at once: one wins).</summary>
    public bool TrySpend() => Interlocked.Exchange(ref _spent, 1) == 0;

    /// <summary>Gives the token back after a set-up that created no account (a refused login, say).</summary>
    public void Restore() => Volatile.Write(ref _spent, 0);
}

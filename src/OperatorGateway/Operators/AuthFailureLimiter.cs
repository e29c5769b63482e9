using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Complaints;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>
/// Failed authentications per remote address, counted in windows of <see cref="ComplaintOptions.AuthFailureWindow"/>:
/// past <see cref="ComplaintOptions.AuthFailureLimit"/> failures every call from the address is refused until the
/// window ends, whatever key it brings (else guessing would go on, only answered differently). The first failure of
/// a window is logged at once, the rest in one summary line per address when the window ends.
/// </summary>
internal sealed class AuthFailureLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly ComplaintOptions _options;
    private readonly ILogger<AuthFailureLimiter> _logger;
    private readonly ITimer _timer;

    public AuthFailureLimiter(IOptions<ComplaintOptions> options, TimeProvider time, ILogger<AuthFailureLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _logger = logger;
        _timer = time.CreateTimer(_ => EndWindow(), null, _options.AuthFailureWindow, _options.AuthFailureWindow);
    }

    /// <summary>True when the address has used up its failures in this window; the call is counted as refused.</summary>
    public bool IsBlocked(string address)
    {
        if (_tallies.TryGetValue(address, out var tally) && Volatile.Read(ref tally.Failures) >= _options.AuthFailureLimit)
        {
            Interlocked.Increment(ref tally.Refused);
            return true;
        }

        return false;
    }

    /// <summary>Counts a failed authentication of the address.</summary>
    public void Failed(string address, string reason)
    {
        var tally = _tallies.GetOrAdd(address, _ => new Tally());
        if (Interlocked.Increment(ref tally.Failures) == 1)
        {
            Log.AuthenticationFailed(_logger, address, reason);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void EndWindow()
    {
        foreach (var address in _tallies.Keys)
        {
            if (_tallies.TryRemove(address, out var tally) && (tally.Failures > 1 || tally.Refused > 0))
            {
                Log.AuthenticationFailures(_logger, address, tally.Failures, tally.Refused, _options.AuthFailureWindow);
            }
        }
    }

    private sealed class Tally
    {
        public int Failures;
        public int Refused;
    }
}

using System.Diagnostics;

namespace TicketGateway.TestSupport;

/// <summary>
/// Bounded waiting for what background workers and other processes do. <see cref="Until(Func{bool}, string)"/>
/// fails the test after 15 s; <see cref="WaitAsync{T}"/> throws a <see cref="TimeoutException"/> naming the last value.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan UntilTimeout = TimeSpan.FromSeconds(15);

    public static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    /// <summary>The same for a condition that has to ask over the network (an HTTP probe, a gRPC call).</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        if (!await PollAsync(condition, UntilTimeout, TimeSpan.FromMilliseconds(50)))
        {
            Assert.Fail($"Timed out waiting for {what}.");
        }
    }

    /// <summary>The same with a longer bound, for what happens on a real clock (a deadline some seconds away).</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        if (!await PollAsync(condition, timeout, TimeSpan.FromMilliseconds(200)))
        {
            Assert.Fail($"Timed out after {timeout} waiting for {what}.");
        }
    }

    public static async Task<T> WaitAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var last = default(T)!;
        if (!await PollAsync(() => Task.FromResult(done(last = probe())), timeout, TimeSpan.FromMilliseconds(10)))
        {
            throw new TimeoutException($"{what}: not reached within {timeout}; last value {last}.");
        }

        return last;
    }

    /// <summary>
    /// Asks <paramref name="condition"/> every <paramref name="interval"/> until it holds (true) or the deadline passes
    /// (false, after one last ask). An ask that takes longer than the interval (one that starts a CLI process, say) is
    /// followed by a pause as long as it took, so polling never keeps a core busy on its own.
    /// </summary>
    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan interval)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var asked = Stopwatch.GetTimestamp();
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            var took = Stopwatch.GetElapsedTime(asked);
            await Task.Delay(took > interval ? took : interval);
        }
    }
}

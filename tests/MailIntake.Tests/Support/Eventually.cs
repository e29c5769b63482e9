namespace TicketGateway.MailIntake.Tests.Support;

/// <summary>Bounded waiting for something another process does.</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not reached within {timeout}; last value {last}.");
            }

            await Task.Delay(10);
            last = probe();
        }

        return last;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TicketGateway.MailIntake.Benchmarks;

/// <summary>
/// <c>ticketgw serve</c> (the Release build users run) as a separate process, logging at Warning,
/// with its web endpoint on a free loopback port for <c>/readyz</c>; its CPU time and peak memory read from /proc.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _webUrl;

    private ServeProcess(Process process, string webUrl)
    {
        _process = process;
        _webUrl = webUrl;
    }

    public int Pid => _process.Id;

    /// <summary>Starts serve in <paramref name="workDir"/> (its output goes to <c>serve.log</c> there) and waits until <c>/readyz</c> answers 200.</summary>
    public static async Task<ServeProcess> StartAsync(string ticketgw, string workDir, IDictionary<string, string> settings)
    {
        var webUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ticketgw);
        start.ArgumentList.Add("serve");
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";
        start.Environment["Web__Enabled"] = "true";
        start.Environment["Kestrel__Endpoints__Web__Url"] = webUrl;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in settings)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(workDir, "serve.log")) { AutoFlush = true };
        void Write(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new ServeProcess(process, webUrl);
        await serve.WaitReadyAsync(workDir);
        return serve;
    }

    /// <summary>User plus system CPU time of the process so far, in milliseconds.</summary>
    public double CpuMs()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of proc(5) (utime, stime), in clock ticks of 10 ms; fields[0] is field 3.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>Peak resident memory (VmHWM) in MB.</summary>
    public long PeakMb()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, then SIGKILL after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(string workDir)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ticketgw serve exited at start-up; see {workDir}/serve.log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(_webUrl + "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"ticketgw serve was not ready within 60 s; see {workDir}/serve.log");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

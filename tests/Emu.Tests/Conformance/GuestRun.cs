using System.Diagnostics;
using System.Text;

namespace Emu.Tests.Conformance;

/// <summary>Outcome of running one guest program to completion.</summary>
internal sealed record GuestResult(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);
}

/// <summary>Runs `runner [options] program args...` with a timeout, capturing stdout as raw bytes.</summary>
internal static class GuestRun
{
    public static GuestResult Run(string runner, string program, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        Run(runner, [], program, args, environment, timeout);

    public static GuestResult Run(string runner, IReadOnlyList<string> runnerOptions, string program,
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        RunCore(runner, runnerOptions, program, args, environment, timeout, failOnTimeout: true)!;

    /// <summary>As <see cref="Run(string, IReadOnlyList{string}, string, IReadOnlyList{string}, IReadOnlyDictionary{string, string}, TimeSpan)"/>, but null when the run does not finish in time (it is killed).</summary>
    public static GuestResult? TryRun(string runner, IReadOnlyList<string> runnerOptions, string program,
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        RunCore(runner, runnerOptions, program, args, environment, timeout, failOnTimeout: false);

    private static GuestResult? RunCore(string runner, IReadOnlyList<string> runnerOptions, string program,
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, bool failOnTimeout)
    {
        var psi = new ProcessStartInfo(runner)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string option in runnerOptions)
            psi.ArgumentList.Add(option);
        psi.ArgumentList.Add(program);
        foreach (string arg in args)
            psi.ArgumentList.Add(arg);
        foreach ((string key, string value) in environment)
            psi.Environment[key] = value;

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {runner}");
        // The guest must see end-of-file rather than block on a terminal.
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        Task copyStdout = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> readStderr = process.StandardError.ReadToEndAsync();

        if (!process.WaitForExit(timeout))
        {
            string where = failOnTimeout ? ProcessTreeSnapshot.Describe(process.Id) : "";
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Task.WaitAll([copyStdout, readStderr], TimeSpan.FromSeconds(5));
            if (!failOnTimeout) return null;
            string partial = Encoding.UTF8.GetString(stdout.ToArray());
            Assert.Fail($"{runner} {program} did not finish within {timeout.TotalSeconds:0} s and was killed.\n" +
                $"last stdout lines:\n{Tail(partial)}\nstderr:\n{(readStderr.IsCompleted ? Tail(readStderr.Result) : "")}\n" +
                $"where its processes waited:\n{where}");
        }
        // Both pipes drain once the process (and anything holding its pipes) is gone.
        if (!Task.WaitAll([copyStdout, readStderr], TimeSpan.FromSeconds(10)))
            Assert.Fail($"{runner} {program} exited but its output pipes stayed open.");
        return new GuestResult(process.ExitCode, stdout.ToArray(), readStderr.Result, stopwatch.Elapsed);
    }

    /// <summary>A readable description of the first difference between two outputs.</summary>
    public static string DescribeDifference(string expected, string actual)
    {
        string[] want = expected.Split('\n');
        string[] got = actual.Split('\n');
        for (int i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            string? w = i < want.Length ? want[i] : null;
            string? g = i < got.Length ? got[i] : null;
            if (w != g)
            {
                return $"first difference at line {i + 1}:\n  expected: {Show(w)}\n  actual:   {Show(g)}\n" +
                    $"({want.Length} expected lines, {got.Length} actual lines)";
            }
        }
        return "outputs are equal";
    }

    private static string Show(string? line) => line == null ? "<end of output>" : $"\"{line}\"";

    /// <summary>The last few lines of stderr, for failure messages.</summary>
    public static string Tail(string text, int lines = 15)
    {
        string[] all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

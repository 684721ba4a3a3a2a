using System.Diagnostics;
using Emu.Tests.Conformance;
using Emu.Tests.Support;

namespace Emu.Tests.Programs;

/// <summary>
/// The Debian arm64 root from scripts/sysroot (built on first use; kept while its package list is the same).
/// </summary>
public sealed class SysrootFixture
{
    private static readonly string[] Needed =
    [
        "usr/bin/python3.11", "usr/lib/python3.11/json/__init__.py", "usr/lib/python3.11/test/test_float.py",
        "usr/bin/perl", "usr/bin/lua5.4", "usr/bin/sqlite3", "usr/bin/gawk", "usr/bin/openssl", "usr/bin/7zz",
        "usr/bin/make", "usr/bin/zstd", "usr/bin/xz", "bin/busybox", "bin/bash",
    ];

    public string Root { get; } = Path.Combine(RepoLayout.Root, ".cache", "sysroot-arm64");

    public string? Error { get; }

    public SysrootFixture()
    {
        var r = ProgramRun.Run(Path.Combine(RepoLayout.Root, "scripts", "sysroot"), [], RepoLayout.Root, null, ProgramRun.HostEnvironment(), TimeSpan.FromMinutes(20));
        var missing = Needed.Where(p => !File.Exists(Path.Combine(Root, p))).ToList();
        if (missing.Count > 0) Error = $"scripts/sysroot (status {r.Status}) left out {string.Join(", ", missing)}:\n{r.Stdout}{r.Stderr}";
    }
}

/// <summary>One finished process.</summary>
internal sealed record ProgramResult(int Status, string Stdout, string Stderr, bool TimedOut)
{
    public override string ToString() =>
        $"status {(TimedOut ? "timeout" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

internal static class ProgramRun
{
    public static Dictionary<string, string> HostEnvironment()
    {
        var env = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }

    /// <summary>
    /// What the guest sees: a fixed locale, zone and hash seed so outputs can be compared; /bin first because
    /// Debian bookworm's coreutils live there (a name the root lacks runs the host's program, as in qemu).
    /// </summary>
    public static Dictionary<string, string> GuestEnvironment(string home) => new()
    {
        ["PATH"] = "/bin:/usr/bin",
        ["HOME"] = home,
        ["LC_ALL"] = "C",
        ["TZ"] = "UTC",
        ["PYTHONHASHSEED"] = "0",
        // The root is shared: no __pycache__ written into it.
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["TERM"] = "dumb",
    };

    public static ProgramResult Run(string file, IEnumerable<string> args, string cwd, string? stdin, Dictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = cwd,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin != null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input.
        }
        bool timedOut = !p.WaitForExit(timeout);
        if (timedOut) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return new ProgramResult(timedOut ? -1 : p.ExitCode, BoundedIo.Result(stdout, $"{file} stdout"),
            BoundedIo.Result(stderr, $"{file} stderr"), timedOut);
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Emu.Tests.Conformance;
using Emu.Tests.Support;

namespace Emu.Tests.Gdb;

/// <summary>A fact skipped (with the reason) when gdb-multiarch is not installed; scripts/test installs it.</summary>
public sealed class GdbFactAttribute : FactAttribute
{
    public GdbFactAttribute()
    {
        if (GdbStubTests.FindGdb() == null) Skip = "gdb-multiarch is not installed (scripts/test installs it)";
    }
}

/// <summary>gdb-multiarch driving emu-aarch64 -g through the remote serial protocol.</summary>
public sealed partial class GdbStubTests
{
    private const string Source = """
        #include <stdio.h>
        static int square(int v) { return v * v; }
        int main(void)
        {
            int x = 6;
            x = square(x) + 1;
            printf("x=%d\n", x);
            return x - 30;
        }
        """;

    public static string? FindGdb() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "gdb-multiarch")).FirstOrDefault(File.Exists);

    /// <summary>A guest that spins until gdb changes <c>spin</c>; it says so first (write: no stdio buffering).</summary>
    private const string SpinSource = """
        #include <stdio.h>
        #include <unistd.h>
        volatile int spin = 1;
        volatile unsigned long counter;
        int main(void)
        {
            write(1, "spinning\n", 9);
            while (spin) counter++;
            printf("stopped after %s\n", counter > 0 ? "some iterations" : "none");
            return 3;
        }
        """;

    private static (string Gdb, string EmuStdout, string EmuStderr, int EmuExit) Debug(params string[] commands) =>
        DebugProgram(Source, interruptAfter: null, commands);

    /// <summary>
    /// Builds <paramref name="source"/>, starts the emulator with -g 0 and runs gdb's batch commands against it.
    /// With <paramref name="interruptAfter"/>, gdb gets SIGINT (which it turns into the protocol's 0x03
    /// interrupt) once the guest has written that line, i.e. while the guest is running.
    /// </summary>
    private static (string Gdb, string EmuStdout, string EmuStderr, int EmuExit) DebugProgram(string source, string? interruptAfter, params string[] commands)
    {
        string dir = Directory.CreateTempSubdirectory("emu-gdb-").FullName;
        Process? emu = null;
        try
        {
            string src = Path.Combine(dir, "target.c"), exe = Path.Combine(dir, "target");
            File.WriteAllText(src, source);
            var cc = Run("aarch64-linux-gnu-gcc", ["-g", "-O0", "-static", "-o", exe, src], TimeSpan.FromMinutes(2));
            Assert.True(cc.Exit == 0, "aarch64-linux-gnu-gcc failed: " + cc.Output);

            var psi = new ProcessStartInfo(RepoLayout.Runner()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in (string[])["-g", "0", exe]) psi.ArgumentList.Add(a);
            emu = Process.Start(psi)!;
            // The stub announces the port it listens on (-g 0 picks a free one) before waiting.
            string? line = BoundedIo.ReadLine(emu.StandardError, "the GDB stub's port announcement", TimeSpan.FromMinutes(1));
            var m = Regex.Match(line ?? "", @"waiting for gdb on 127\.0\.0\.1:(\d+)");
            Assert.True(m.Success, $"no port announcement, got: {line}");
            var stderr = emu.StandardError.ReadToEndAsync();

            var args = new List<string> { "-batch", "-nx", "-ex", "set confirm off", "-ex", $"file {exe}", "-ex", $"target remote 127.0.0.1:{m.Groups[1].Value}" };
            foreach (string c in commands) args.AddRange(["-ex", c]);
            string firstLine = "";
            var gdb = Run(FindGdb()!, args, TimeSpan.FromMinutes(2), interruptAfter == null ? null : gdbPid =>
            {
                var read = emu.StandardOutput.ReadLineAsync();
                Assert.True(read.Wait(TimeSpan.FromMinutes(1)), $"the guest did not write '{interruptAfter}'");
                firstLine = read.Result + "\n";
                Assert.Equal(interruptAfter, read.Result);
                Assert.Equal(0, Kill(gdbPid, SIGINT));
            });
            var stdout = emu.StandardOutput.ReadToEndAsync();
            Assert.True(emu.WaitForExit(TimeSpan.FromSeconds(60)), "emulator still running after gdb finished:\n" + gdb.Output);
            return (gdb.Output, firstLine + BoundedIo.Result(stdout, "emulator stdout"), BoundedIo.Result(stderr, "emulator stderr"), emu.ExitCode);
        }
        finally
        {
            // Always kill the emulator: a failing test must not leave it waiting for gdb.
            if (emu != null && !emu.HasExited) emu.Kill(entireProcessTree: true);
            emu?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, Action<int>? whileRunning = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        try
        {
            whileRunning?.Invoke(p.Id);
        }
        catch
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} timed out");
        }
        p.WaitForExit();
        return (p.ExitCode, BoundedIo.Result(o, $"{file} stdout") + BoundedIo.Result(e, $"{file} stderr"));
    }

    [GdbFact]
    public void BreakNextPrintAndContinueToExit()
    {
        var r = Debug("break main", "continue", "next", "next", "info registers pc", "print x", "print square(3)", "continue");
        Assert.Matches(@"Breakpoint 1, main \(\) at .*target\.c:5", r.Gdb);
        // After two 'next's the program is at the printf line with x computed.
        Assert.Matches(@"(?m)^7\s+printf", r.Gdb);
        Assert.Matches(@"(?m)^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <main\+\d+>", r.Gdb);
        Assert.Matches(@"(?m)^\$1 = 37$", r.Gdb);
        Assert.Matches(@"\[Inferior 1 \(Remote target\) exited with code 07\]", r.Gdb);
        Assert.Equal("x=37\n", r.EmuStdout);
        Assert.Equal(7, r.EmuExit);
    }

    [GdbFact]
    public void RegistersAndMemoryCanBeWritten()
    {
        // Set x through memory before it is printed: the program's output shows the write took effect.
        var r = Debug("break 7", "continue", "set var x = 1234", "print x", "set $x1 = 0x55", "print/x $x1", "print $pc == $pc", "stepi", "info registers cpsr", "continue");
        Assert.Matches(@"(?m)^\$1 = 1234$", r.Gdb);
        Assert.Matches(@"(?m)^\$2 = 0x55$", r.Gdb);
        Assert.Matches(@"(?m)^cpsr\s+0x[0-9a-f]+", r.Gdb);
        Assert.Equal("x=1234\n", r.EmuStdout);
        Assert.Equal((1234 - 30) & 0xff, r.EmuExit);
    }

    [GdbFact]
    public void StepiAdvancesOneInstruction()
    {
        var r = Debug("break main", "continue", "print/x $pc", "stepi", "print/x $pc", "stepi", "print/x $pc", "kill");
        var pcs = Regex.Matches(r.Gdb, @"(?m)^\$\d+ = 0x([0-9a-f]+)$").Select(m => Convert.ToUInt64(m.Groups[1].Value, 16)).ToList();
        Assert.Equal(3, pcs.Count);
        Assert.Equal(pcs[0] + 4, pcs[1]);
        Assert.Equal(pcs[1] + 4, pcs[2]);
    }

    /// <summary>
    /// Ctrl-C in gdb while the guest runs: gdb sends 0x03, the stub stops the guest at the next block and
    /// reports SIGINT; gdb can then read and change memory and let the program finish.
    /// </summary>
    [GdbFact]
    public void InterruptStopsARunningGuest()
    {
        var r = DebugProgram(SpinSource, "spinning", "continue", "print spin", "set var spin = 0", "continue");
        Assert.Contains("Program received signal SIGINT", r.Gdb, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\$1 = 1$", r.Gdb);
        Assert.Matches(@"\[Inferior 1 \(Remote target\) exited with code 03\]", r.Gdb);
        Assert.Equal("spinning\nstopped after some iterations\n", r.EmuStdout);
        Assert.Equal(3, r.EmuExit);
    }

    private const int SIGINT = 2;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

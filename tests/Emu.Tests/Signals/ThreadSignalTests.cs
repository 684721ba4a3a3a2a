using System.Diagnostics;
using Emu.Tests.Conformance;
using Emu.Tests.Support;

namespace Emu.Tests.Signals;

/// <summary>
/// Per-thread signal state and the translator's own file descriptors, seen from outside: a signal from
/// another process reaches the guest thread that does not block it, and execve of an AArch64 program keeps
/// exactly the guest's inheritable fds (testbins/src/sig_threads.c and fds.c; their default runs are
/// testbins compared with qemu-aarch64).
/// </summary>
public sealed partial class ThreadSignalTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Fact]
    public void SignalFromOutsideRunsInTheThreadThatDoesNotBlockIt()
    {
        var start = new ProcessStartInfo(RepoLayout.Runner())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepoLayout.Testbin("sig_threads"));
        start.ArgumentList.Add("external");
        using var process = Process.Start(start)!;
        try
        {
            // "ready": SIGUSR2 is routed, blocked in the main thread and unblocked in the worker.
            Assert.Equal("ready", BoundedIo.ReadLine(process.StandardOutput, "sig_threads' ready line", RepoLayout.Timeout));
            Assert.Equal("worker read -1 errno 4 handler in worker 1", BoundedIo.SignalUntilLine(process, 12 /* SIGUSR2 */, RepoLayout.Timeout));
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public void WriteToAClosedPipeKillsWithSigpipeByDefault()
    {
        // Started with SIGPIPE at its default, as from a shell: the test host's runtime leaves it ignored for
        // its children, and the guest inherits that as a native program would.
        GuestResult r = GuestRun.Run("/usr/bin/env", ["--default-signal=PIPE", RepoLayout.Runner()], RepoLayout.Testbin("sig_threads"),
            ["sigpipe-default"], NoEnvironment, RepoLayout.Timeout);
        Assert.Equal("writing\n", r.StdoutText);
        Assert.Equal(128 + 13, r.ExitCode); // .NET reports death by signal n as 128 + n
    }

    [Fact]
    public void ExecveKeepsInheritableFdsOnlyAndTheNewProgramNumbersFromTheLowest()
    {
        if (RepoLayout.RunnerOverridden) return; // qemu-user cannot execve an aarch64 program by itself
        GuestResult r = GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("fds"), ["exec"], NoEnvironment, RepoLayout.Timeout);
        Assert.Equal(
            "child: the inherited fd is open                      1\n" +
            "child: the close-on-exec fd is gone                  0\n" +
            "child: open gets the lowest free number              1\n" +
            "child: /proc/self/fd lists only open fds             0\n" +
            "child exit status                                    0\n" +
            "all ok\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }
}

using System.Diagnostics;
using Emu.Tests.Conformance;
using Emu.Tests.Support;

namespace Emu.Tests.Signals;

/// <summary>
/// Signal and process behaviour seen from outside the translator: death by an unhandled fault, a signal
/// sent by another process interrupting a blocking syscall in the guest, and execve of an aarch64 program.
/// </summary>
public sealed partial class GuestSignalProcessTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Theory]
    [InlineData("unhandled")]
    [InlineData("ignored")] // SIG_IGN does not save a process from its own fault (Linux force_sig)
    public void FaultWithoutHandlerKillsWithSigsegv(string mode)
    {
        GuestResult r = GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("sig_fault"), [mode], NoEnvironment, RepoLayout.Timeout);
        Assert.Equal("faulting\n", r.StdoutText);
        Assert.Equal(128 + 11, r.ExitCode); // .NET reports death by signal n as 128 + n
    }

    [Fact]
    public void SignalFromAnotherProcessInterruptsBlockingRead()
    {
        var start = new ProcessStartInfo(RepoLayout.Runner())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepoLayout.Testbin("sig_async"));
        start.ArgumentList.Add("wait-usr2");
        using var process = Process.Start(start)!;
        try
        {
            Assert.Equal("ready", BoundedIo.ReadLine(process.StandardOutput, "sig_async's ready line", RepoLayout.Timeout));
            // read() fails with EINTR (4) after the guest handler ran.
            Assert.Equal("read -1 errno 4 handler ran", BoundedIo.SignalUntilLine(process, 12 /* SIGUSR2 */, RepoLayout.Timeout));
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public void ExecveOfAnAarch64ProgramRunsItTranslated()
    {
        if (RepoLayout.RunnerOverridden) return; // qemu-user cannot execve an aarch64 program by itself
        GuestResult r = GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("fork_exec"), ["exec-self"], NoEnvironment, RepoLayout.Timeout);
        Assert.Equal("exec'd child: argc=3 arg2=second env=set\nexecve of this program: exit status          42\n", r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }
}

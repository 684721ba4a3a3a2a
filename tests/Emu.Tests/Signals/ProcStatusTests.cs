using Emu.Tests.Conformance;

namespace Emu.Tests.Signals;

/// <summary>
/// The guest's own signal state in /proc/self/status and /proc/self/stat, and what execve hands a host
/// program or a new translator of it. Expected values follow Linux (qemu-user shows its host state for
/// SigPnd/SigBlk/SigCgt and Name, so these are not compared with it; testbins/expected/proc_status.out is).
/// </summary>
public sealed class ProcStatusTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    private static GuestResult RunProcStatus(params string[] args) =>
        GuestRun.Run(RepoLayout.Runner(), RepoLayout.Testbin("proc_status"), args, NoEnvironment, RepoLayout.Timeout);

    [Fact]
    public void StatusAndStatShowTheGuestsPendingBlockedIgnoredAndCaughtSignals()
    {
        if (RepoLayout.RunnerOverridden) return;
        GuestResult r = RunProcStatus("full");
        // Handlers for SIGUSR1 (10) and SIGTERM (15), SIGHUP (1) ignored, SIGUSR2 (12) and SIGINT (2) blocked;
        // raise(SIGUSR2) is thread-directed (SigPnd), kill(getpid(), SIGINT) process-directed (ShdPnd).
        Assert.Equal(
            "SigPnd 800 ShdPnd 2 SigBlk 802 SigIgn 1 SigCgt 4200\n" +
            "SigQ 2\n" +
            "Name proc_status\n" +
            "Threads 1\n" +
            "pid path SigIgn 1\n" +
            "stat: threads 1 signal 800 blocked 802 sigignore 1 sigcatch 4200\n" +
            // The thread inherits the mask and adds SIGUSR1 (bit 9), and inherits the name.
            "thread: thread-self SigBlk a02, task SigBlk a02, Name proc_status\n" +
            "still pending: SIGUSR2 1 SIGINT 1\n",
            r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("keep", "SigBlk 200 SigIgn 0\n")]
    [InlineData("ignore", "SigBlk 200 SigIgn 1000\n")]
    public void ExecOfAnAarch64ProgramPassesTheGuestsIgnoredSignalsAndMask(string mode, string expected)
    {
        if (RepoLayout.RunnerOverridden) return; // qemu-user cannot execve an aarch64 program by itself
        string self = RepoLayout.Testbin("proc_status");
        GuestResult r = RunProcStatus("exec", mode, self, "report");
        Assert.Equal(expected, r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("keep", "SigBlk:\t0000000000000200\nSigIgn:\t0000000000000000\n")]
    [InlineData("ignore", "SigBlk:\t0000000000000200\nSigIgn:\t0000000000001000\n")]
    public void ExecOfAHostProgramPassesTheGuestsIgnoredSignalsAndMask(string mode, string expected)
    {
        GuestResult r = RunProcStatus("exec", mode, "/bin/grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status");
        Assert.Equal(expected, r.StdoutText);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void HostPipelineDiesOfSigpipeUnlessTheGuestIgnoredIt()
    {
        // `yes | head -1`: with SIGPIPE at its default, yes dies of it silently; ignored, its write fails.
        GuestResult quiet = RunProcStatus("exec", "keep", "/bin/sh", "-c", "yes | head -1");
        Assert.Equal("y\n", quiet.StdoutText);
        Assert.DoesNotContain("Broken pipe", quiet.Stderr, StringComparison.Ordinal);
        GuestResult loud = RunProcStatus("exec", "ignore", "/bin/sh", "-c", "yes | head -1");
        Assert.Equal("y\n", loud.StdoutText);
        Assert.Contains("Broken pipe", loud.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ignore-signal=PIPE", true)]
    [InlineData("--default-signal=PIPE", false)]
    public void TranslatorStartedWithSigpipeIgnoredShowsItIgnored(string envOption, bool ignored)
    {
        // The runtime ignores SIGPIPE itself before any of our code runs: the launcher records the caller's state.
        // Only SIGPIPE is compared: the rest of the mask is whatever the test host's children inherit.
        if (RepoLayout.RunnerOverridden) return;
        string script = $"exec env {envOption} \"$0\" \"$1\" report";
        GuestResult r = GuestRun.Run("/bin/sh", "-c", [script, RepoLayout.Runner(), RepoLayout.Testbin("proc_status")],
            NoEnvironment, RepoLayout.Timeout);
        Assert.Equal(0, r.ExitCode);
        string[] fields = r.StdoutText.Split(' ', StringSplitOptions.TrimEntries);
        Assert.Equal("SigIgn", fields[2]);
        ulong mask = ulong.Parse(fields[3], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
        const ulong SigpipeBit = 1UL << (13 - 1);
        Assert.Equal(ignored, (mask & SigpipeBit) != 0);
    }
}

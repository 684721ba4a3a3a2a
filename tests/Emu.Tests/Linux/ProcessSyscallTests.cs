using Emu.Cpu;
using Emu.Linux;
using Emu.Memory;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class ProcessSyscallTests : IDisposable
{
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void UnameSaysAarch64()
    {
        ulong buf = GuestHarness.Scratch;
        Assert.Equal(0, _h.Syscall(G.Uname, buf));
        Assert.Equal("Linux\0", _h.ReadString(buf, 6));
        Assert.Equal("aarch64\0", _h.ReadString(buf + 4 * 65, 8));
    }

    [Fact]
    public void UnknownNumbersAreEnosys()
    {
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(999));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(244)); // unassigned in the generic table
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Rseq));
    }

    [Fact]
    public void IdsComeFromTheHost()
    {
        Assert.Equal(Environment.ProcessId, _h.Syscall(G.Getpid));
        Assert.True(_h.Syscall(G.Getppid) > 0);
        Assert.True(_h.Syscall(G.Gettid) > 0);
        long tid = _h.Syscall(G.SetTidAddress, GuestHarness.Scratch);
        Assert.Equal(_h.Syscall(G.Gettid), tid);
        Assert.Equal(GuestHarness.Scratch, _h.Process.ClearChildTid);
        Assert.Equal(0, _h.Syscall(G.SetRobustList, GuestHarness.Scratch + 8, 24));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.SetRobustList, GuestHarness.Scratch + 8, 23));
    }

    [Fact]
    public void ExitGroupEndsWithTheLowStatusByte()
    {
        _h.Ctx->X[8] = G.ExitGroup;
        _h.Ctx->X[0] = 0x1_0000_0103;
        _h.Ctx->Exit = ExitReason.Syscall;
        Assert.Equal(3, _h.Process.HandleExit(_h.Ctx));
        _h.Ctx->X[8] = G.Exit;
        _h.Ctx->X[0] = 42;
        Assert.Equal(42, _h.Process.HandleExit(_h.Ctx));
    }

    [Fact]
    public void UndefinedInstructionIsFatalSigill()
    {
        var err = new StringWriter();
        _h.Process.ErrorOutput = err;
        _h.Memory.Write(GuestHarness.Scratch + 0x20, 0x00000000u + 0xdeadbeef);
        _h.Ctx->Pc = GuestHarness.Scratch + 0x20;
        _h.Ctx->Exit = ExitReason.Undefined;
        Assert.Equal(132, _h.Process.HandleExit(_h.Ctx));
        Assert.Equal("emu-aarch64: illegal instruction 0xdeadbeef at pc 0x10020", err.ToString().TrimEnd());

        _h.Ctx->Exit = ExitReason.Breakpoint;
        Assert.Equal(133, _h.Process.HandleExit(_h.Ctx));
        _h.Ctx->Exit = ExitReason.FetchFault;
        Assert.Equal(139, _h.Process.HandleExit(_h.Ctx));
        _h.Ctx->Exit = ExitReason.Trap;
        Assert.Equal(132, _h.Process.HandleExit(_h.Ctx));
        Assert.Equal(SignalNumbers.SIGILL, _h.Process.TerminatingSignal);
    }

    [Fact]
    public void MemoryFaultIsFatalSigsegv()
    {
        var err = new StringWriter();
        _h.Process.ErrorOutput = err;
        _h.Ctx->Pc = 0x400000;
        _h.Ctx->FaultAddress = 0xdead0000;
        _h.Ctx->FaultCode = 1;
        _h.Ctx->Exit = ExitReason.MemoryFault;
        Assert.Equal(139, _h.Process.HandleExit(_h.Ctx));
        Assert.Equal(SignalNumbers.SIGSEGV, _h.Process.TerminatingSignal);
        Assert.Contains("0xdead0000", err.ToString());
    }

    [Fact]
    public void SigprocmaskKeepsTheGuestMask()
    {
        ulong set = GuestHarness.Scratch, old = GuestHarness.Scratch + 8;
        _h.Memory.Write(set, (1UL << 9) | (1UL << 8) | (1UL << 1)); // SIGUSR1, SIGKILL, SIGINT
        Assert.Equal(0, _h.Syscall(G.RtSigprocmask, 0 /* SIG_BLOCK */, set, 0, 8));
        Assert.Equal((1UL << 9) | (1UL << 1), _h.Process.SignalMask); // SIGKILL cannot be blocked
        _h.Memory.Write(set, 1UL << 1);
        Assert.Equal(0, _h.Syscall(G.RtSigprocmask, 1 /* SIG_UNBLOCK */, set, old, 8));
        Assert.Equal((1UL << 9) | (1UL << 1), _h.Memory.Read<ulong>(old));
        Assert.Equal(1UL << 9, _h.Process.SignalMask);
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.RtSigprocmask, 7, set, 0, 8));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.RtSigprocmask, 0, set, 0, 16));
    }

    [Fact]
    public void SigactionRecordsAndReturnsTheOldAction()
    {
        ulong act = GuestHarness.Scratch, old = GuestHarness.Scratch + 0x40;
        _h.Memory.Write(act, 0x400123UL);
        _h.Memory.Write(act + 8, 0x04000004UL);
        _h.Memory.Write(act + 16, 0x400456UL);
        _h.Memory.Write(act + 24, 0x2UL);
        Assert.Equal(0, _h.Syscall(G.RtSigaction, 10, act, old, 8));
        Assert.Equal(0UL, _h.Memory.Read<ulong>(old)); // SIG_DFL before
        Assert.Equal(0, _h.Syscall(G.RtSigaction, 10, 0, old, 8));
        Assert.Equal(0x400123UL, _h.Memory.Read<ulong>(old));
        Assert.Equal(0x04000004UL, _h.Memory.Read<ulong>(old + 8));
        Assert.Equal(0x400456UL, _h.Memory.Read<ulong>(old + 16));
        Assert.Equal(0x2UL, _h.Memory.Read<ulong>(old + 24));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.RtSigaction, 9 /* SIGKILL */, act, 0, 8));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.RtSigaction, 65, act, 0, 8));
    }

    [Fact]
    public void BlockedSignalToSelfStaysPendingAndIgnoredOnesVanish()
    {
        ulong act = GuestHarness.Scratch;
        _h.Memory.Write(act, 0x400123UL);
        Assert.Equal(0, _h.Syscall(G.RtSigaction, 10, act, 0, 8));
        _h.Memory.Write(act + 0x100, 1UL << 9);
        Assert.Equal(0, _h.Syscall(G.RtSigprocmask, 0 /* SIG_BLOCK */, act + 0x100, 0, 8));
        Assert.Equal(0, _h.Syscall(G.Kill, Environment.ProcessId, 10));
        Assert.Equal(1UL << 9, _h.Process.PendingSignals);
        _h.Memory.Write(act, 1UL); // SIG_IGN
        Assert.Equal(0, _h.Syscall(G.RtSigaction, 12, act, 0, 8));
        Assert.Equal(0, _h.Syscall(G.Tgkill, Environment.ProcessId, _h.Syscall(G.Gettid), 12));
        Assert.Equal(0, _h.Syscall(G.Kill, Environment.ProcessId, 28)); // SIGWINCH: ignored by default
        Assert.Equal(1UL << 9, _h.Process.PendingSignals);
    }

    [Fact]
    public void SigaltstackRecordsTheStack()
    {
        ulong ss = GuestHarness.Scratch, old = GuestHarness.Scratch + 0x40;
        Assert.Equal(0, _h.Syscall(G.Sigaltstack, 0, old));
        Assert.Equal(2, _h.Memory.Read<int>(old + 8)); // SS_DISABLE initially
        _h.Memory.Write(ss, 0x20000UL);
        _h.Memory.Write(ss + 8, 0);
        _h.Memory.Write(ss + 16, 0x4000UL);
        Assert.Equal(0, _h.Syscall(G.Sigaltstack, ss, 0));
        Assert.Equal(0, _h.Syscall(G.Sigaltstack, 0, old));
        Assert.Equal(0x20000UL, _h.Memory.Read<ulong>(old));
        Assert.Equal(0x4000UL, _h.Memory.Read<ulong>(old + 16));
        _h.Memory.Write(ss + 16, 100UL);
        Assert.Equal(-Errno.ENOMEM, _h.Syscall(G.Sigaltstack, ss, 0));
    }

    [Fact]
    public void ClockAndRandomFillGuestBuffers()
    {
        ulong ts = GuestHarness.Scratch;
        Assert.Equal(0, _h.Syscall(G.ClockGettime, 0 /* CLOCK_REALTIME */, ts));
        long sec = _h.Memory.Read<long>(ts);
        Assert.InRange(sec, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        ulong buf = GuestHarness.Scratch + 0x100;
        Assert.Equal(32, _h.Syscall(G.Getrandom, buf, 32, 0));
        Assert.NotEqual(new byte[32], _h.Memory.GetSpan(buf, 32).ToArray());
        _h.Memory.Write(ts, 0L);
        _h.Memory.Write(ts + 8, 1000L);
        Assert.Equal(0, _h.Syscall(G.Nanosleep, ts, 0));
    }

    [Fact]
    public void FutexWaitChecksTheValueAndWakeFindsNobody()
    {
        ulong word = GuestHarness.Scratch;
        _h.Memory.Write(word, 5);
        Assert.Equal(-Errno.EAGAIN, _h.Syscall(G.Futex, word, 128 /* FUTEX_WAIT_PRIVATE */, 4, 0));
        Assert.Equal(0, _h.Syscall(G.Futex, word, 129 /* FUTEX_WAKE_PRIVATE */, 1));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Futex, word + 1, 129, 1));
    }

    [Fact]
    public void PrlimitReadsTheStackLimit()
    {
        ulong old = GuestHarness.Scratch;
        Assert.Equal(0, _h.Syscall(G.Prlimit64, 0, 3 /* RLIMIT_STACK */, 0, old));
        Assert.NotEqual(0UL, _h.Memory.Read<ulong>(old));
    }

    [Fact]
    public void StracePrintsCallsAndErrors()
    {
        var log = new StringWriter();
        using var h = new GuestHarness(new ProcessOptions { Strace = log });
        h.Syscall(G.Getpid);
        h.WriteString(GuestHarness.Scratch, "/nonexistent/file");
        h.Syscall(G.Openat, -100, (long)GuestHarness.Scratch, 0, 0);
        h.Syscall(999);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int pid = Environment.ProcessId;
        Assert.Equal($"{pid} getpid() = {pid}", lines[0]);
        Assert.Equal($"{pid} openat(AT_FDCWD,\"/nonexistent/file\",0x0,00) = -1 errno=2 (No such file or directory)", lines[1]);
        Assert.StartsWith($"{pid} Unknown syscall 999", lines[2]);
    }

    [Fact]
    public void ProcSelfMapsDescribesTheGuest()
    {
        OpenGuestPath("/proc/self/maps", out long fd);
        ulong buf = GuestHarness.Scratch + 0x1000;
        long n = _h.Syscall(G.Read, (ulong)fd, buf, 0x1000);
        Assert.True(n > 0);
        string text = _h.ReadString(buf, (int)n);
        Assert.StartsWith("00010000-00020000 rw-p 00000000 00:00 0", text);
        Assert.Contains("scratch", text);
        _h.Syscall(G.Close, (ulong)fd);
    }

    private void OpenGuestPath(string path, out long fd)
    {
        _h.WriteString(GuestHarness.Scratch, path);
        fd = _h.Syscall(G.Openat, -100, (long)GuestHarness.Scratch, 0, 0);
        Assert.True(fd >= 0, $"openat {path} = {fd}");
        Assert.True(_h.Memory.IsAccessible(GuestHarness.Scratch, 1, GuestProt.Read));
    }
}

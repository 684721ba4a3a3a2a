using Emu.Linux;
using Emu.Tests.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Syscalls;

/// <summary>
/// Handlers qemu-aarch64 7.2 (the testbins' reference) does not implement, driven directly: openat2,
/// process_vm_readv/writev, kcmp, sched_getattr/setattr, pkeys, futex_waitv, xattrs, file handles,
/// personality, restart_syscall, the refused calls, and EFAULT for bad guest pointers.
/// </summary>
public sealed unsafe class NewSyscallTests : IDisposable
{
    private const long AtFdCwd = -100;
    private const ulong S = GuestHarness.Scratch;
    private const ulong Bad = 1; // never mapped: the harness maps only the scratch area
    private readonly GuestHarness _h = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-newsys").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void WriteOpenHow(ulong at, ulong flags, ulong mode, ulong resolve)
    {
        _h.Memory.Write(at, flags);
        _h.Memory.Write(at + 8, mode);
        _h.Memory.Write(at + 16, resolve);
    }

    [Fact]
    public void Openat2ConvertsTheGuestOpenFlags()
    {
        const ulong GuestODirectory = 0x4000, GuestONofollow = 0x8000, OCloexec = 0x80000, ResolveNoSymlinks = 4;
        File.WriteAllText(Path.Combine(_dir, "f"), "x");
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), Path.Combine(_dir, "f"));
        _h.WriteString(S, _dir);
        // aarch64's O_DIRECTORY is x86_64's O_DIRECT|...: unconverted, opening a directory would fail.
        WriteOpenHow(S + 0x1000, GuestODirectory | OCloexec, 0, 0);
        long fd = _h.Syscall(G.Openat2, AtFdCwd, (long)S, (long)(S + 0x1000), 24);
        Assert.True(fd >= 0, $"openat2 O_DIRECTORY: {fd}");
        Assert.Equal(1, _h.Syscall(G.Fcntl, (ulong)fd, 1 /* F_GETFD */));
        Assert.Equal((long)GuestODirectory, _h.Syscall(G.Fcntl, (ulong)fd, 3 /* F_GETFL */) & (long)GuestODirectory);
        // O_DIRECTORY on a regular file is ENOTDIR: proof the flag reached the host as O_DIRECTORY.
        _h.WriteString(S + 0x200, "f");
        Assert.Equal(-20 /* ENOTDIR */, _h.Syscall(G.Openat2, fd, (long)(S + 0x200), (long)(S + 0x1000), 24));
        _h.WriteString(S + 0x300, "link");
        WriteOpenHow(S + 0x1000, 0, 0, ResolveNoSymlinks);
        Assert.Equal(-Errno.ELOOP, _h.Syscall(G.Openat2, fd, (long)(S + 0x300), (long)(S + 0x1000), 24));
        WriteOpenHow(S + 0x1000, GuestONofollow, 0, 0);
        Assert.Equal(-Errno.ELOOP, _h.Syscall(G.Openat2, fd, (long)(S + 0x300), (long)(S + 0x1000), 24));
        // Sizes: too small is EINVAL; a larger struct with non-zero unknown fields is E2BIG.
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Openat2, fd, (long)(S + 0x200), (long)(S + 0x1000), 16));
        WriteOpenHow(S + 0x1000, 0, 0, 0);
        _h.Memory.Write(S + 0x1000 + 24, 1UL);
        Assert.Equal(-Errno.E2BIG, _h.Syscall(G.Openat2, fd, (long)(S + 0x200), (long)(S + 0x1000), 32));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Openat2, fd, (long)(S + 0x200), (long)Bad, 24));
        _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void ProcessVmReadvCopiesWithinTheGuest()
    {
        int pid = Environment.ProcessId;
        _h.WriteString(S + 0x2000, "remote bytes");
        // local iovec at S: (S+0x3000, 12); remote iovec at S+0x100: (S+0x2000, 12)
        _h.Memory.Write(S, S + 0x3000);
        _h.Memory.Write(S + 8, 12UL);
        _h.Memory.Write(S + 0x100, S + 0x2000);
        _h.Memory.Write(S + 0x108, 12UL);
        Assert.Equal(12, _h.Syscall(G.ProcessVmReadv, (ulong)pid, S, 1, S + 0x100, 1, 0));
        Assert.Equal("remote bytes", _h.ReadString(S + 0x3000, 12));
        _h.WriteString(S + 0x3000, "WRITTEN back");
        Assert.Equal(12, _h.Syscall(G.ProcessVmWritev, (ulong)pid, S, 1, S + 0x100, 1, 0));
        Assert.Equal("WRITTEN back", _h.ReadString(S + 0x2000, 12));
        // A remote address outside the guest: EFAULT, as for an unmapped one.
        _h.Memory.Write(S + 0x100, 1UL << 45);
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.ProcessVmReadv, (ulong)pid, S, 1, S + 0x100, 1, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.ProcessVmReadv, (ulong)pid, Bad, 1, S + 0x100, 1, 0));
    }

    [Fact]
    public void SchedAttrRoundTrips()
    {
        // struct sched_attr: u32 size, u32 policy, u64 flags, s32 nice, u32 priority, ... (56 bytes).
        Assert.Equal(0, _h.Syscall(G.SchedGetattr, 0, S, 56, 0));
        Assert.Equal(56U, _h.Memory.Read<uint>(S));
        Assert.Equal(0U, _h.Memory.Read<uint>(S + 4)); // SCHED_OTHER
        int nice = _h.Memory.Read<int>(S + 16);
        Assert.Equal(0, _h.Syscall(G.SchedSetattr, 0, S, 0));
        Assert.Equal(0, _h.Syscall(G.SchedGetattr, 0, S + 0x100, 56, 0));
        Assert.Equal(nice, _h.Memory.Read<int>(S + 0x100 + 16));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.SchedGetattr, 0, Bad, 56, 0));
    }

    [Fact]
    public void ProtectionKeysBehaveAsArm64WithoutPoe()
    {
        Assert.Equal(-28 /* ENOSPC */, _h.Syscall(G.PkeyAlloc, 0, 0));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.PkeyFree, 0));
        // pkey -1 is mprotect: the page becomes read-only, then writable again.
        Assert.Equal(0, _h.Syscall(G.PkeyMprotect, S + 0x4000, 0x1000, 1 /* PROT_READ */, ulong.MaxValue));
        Assert.False(_h.Memory.IsAccessible(S + 0x4000, 1, Emu.Memory.GuestProt.Write));
        Assert.Equal(0, _h.Syscall(G.PkeyMprotect, S + 0x4000, 0x1000, 3, ulong.MaxValue));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.PkeyMprotect, S + 0x4000, 0x1000, 3, 1));
    }

    [Fact]
    public void FutexWaitvReturnsAtOnceOnAValueMismatch()
    {
        // One waiter (u64 val, u64 uaddr, u32 flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, u32 reserved) on a word holding 5.
        _h.Memory.Write(S + 0x800, 5U);
        _h.Memory.Write(S, 4UL);
        _h.Memory.Write(S + 8, S + 0x800);
        _h.Memory.Write(S + 16, 2U | 128U);
        _h.Memory.Write(S + 20, 0U);
        long r = _h.Syscall(G.FutexWaitv, S, 1, 0, 0, 1 /* CLOCK_MONOTONIC */);
        Assert.True(r == -Errno.EAGAIN || r == -Errno.ENOSYS, $"futex_waitv: {r}"); // ENOSYS: host kernel before 5.16
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.FutexWaitv, S, 0, 0, 0, 1));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.FutexWaitv, Bad, 1, 0, 0, 1));
        _h.Memory.Write(S + 8, 1UL << 45);
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.FutexWaitv, S, 1, 0, 0, 1));
    }

    [Fact]
    public void KcmpComparesFileDescriptors()
    {
        Assert.Equal(0, _h.Syscall(G.Pipe2, S, 0));
        int r = _h.Memory.Read<int>(S), w = _h.Memory.Read<int>(S + 4);
        long d = _h.Syscall(G.Dup, (ulong)r);
        int pid = Environment.ProcessId;
        long same = _h.Syscall(G.Kcmp, (ulong)pid, (ulong)pid, 0 /* KCMP_FILE */, (ulong)r, (ulong)d);
        long different = _h.Syscall(G.Kcmp, (ulong)pid, (ulong)pid, 0, (ulong)r, (ulong)w);
        if (same != -Errno.ENOSYS && same != -Errno.EPERM) // kernels without CONFIG_KCMP, or ptrace-restricted
        {
            Assert.Equal(0, same);
            Assert.True(different is 1 or 2, $"kcmp of different files: {different}");
        }
        foreach (long fd in new long[] { r, w, d }) _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void XattrsRoundTripWhereTheFileSystemHasThem()
    {
        string f = Path.Combine(_dir, "x");
        File.WriteAllText(f, "");
        _h.WriteString(S, f);
        _h.WriteString(S + 0x200, "user.emu");
        _h.WriteString(S + 0x300, "value");
        long set = _h.Syscall(G.Setxattr, S, S + 0x200, S + 0x300, 5, 0);
        if (set == -Errno.EOPNOTSUPP) return; // tmpfs before Linux 6.6 has no user.* attributes
        Assert.Equal(0, set);
        Assert.Equal(5, _h.Syscall(G.Getxattr, S, S + 0x200, S + 0x400, 64));
        Assert.Equal("value", _h.ReadString(S + 0x400, 5));
        Assert.Equal(5, _h.Syscall(G.Lgetxattr, S, S + 0x200, 0, 0)); // size query
        long n = _h.Syscall(G.Listxattr, S, S + 0x500, 256);
        Assert.Contains("user.emu", _h.ReadString(S + 0x500, (int)n).Split('\0'));
        _h.WriteString(S + 0x100, "\0");
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)S, 0, 0);
        Assert.Equal(5, _h.Syscall(G.Fgetxattr, (ulong)fd, S + 0x200, S + 0x600, 64));
        Assert.Equal(0, _h.Syscall(G.Fremovexattr, (ulong)fd, S + 0x200));
        Assert.Equal(-61 /* ENODATA */, _h.Syscall(G.Getxattr, S, S + 0x200, S + 0x400, 64));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Getxattr, S, Bad, S + 0x400, 64));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Setxattr, S, S + 0x200, Bad, 5, 0));
        _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void PersonalityKeepsTheValueSet()
    {
        const ulong AddrNoRandomize = 0x0040000;
        Assert.Equal(0, _h.Syscall(G.Personality, 0xffffffffUL));
        Assert.Equal(0, _h.Syscall(G.Personality, AddrNoRandomize));
        Assert.Equal((long)AddrNoRandomize, _h.Syscall(G.Personality, 0xffffffffUL));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Personality, 8 /* PER_LINUX32 */));
        Assert.Equal((long)AddrNoRandomize, _h.Syscall(G.Personality, 0));
    }

    [Fact]
    public void RefusedCallsAnswerTheirErrno()
    {
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.IoUringSetup, 8, S));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.IoSetup, 8, S));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Seccomp, 0, 0, 0));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.LandlockCreateRuleset, 0, 0, 1));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Userfaultfd, 0));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Keyctl, 0));
        Assert.Equal(-Errno.EPERM, _h.Syscall(G.Reboot, 0xfee1dead, 672274793, 0x4321fedc));
        Assert.Equal(-Errno.EPERM, _h.Syscall(G.InitModule, S, 16, S));
        Assert.Equal(-Errno.EINTR, _h.Syscall(G.RestartSyscall));
        // Above the table: ENOSYS, not a crash.
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(452 /* fchmodat2 */, 0));
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(100_000, 0));
    }

    [Fact]
    public void FileHandlesRoundTrip()
    {
        string f = Path.Combine(_dir, "h");
        File.WriteAllText(f, "handle");
        _h.WriteString(S, f);
        _h.Memory.Write(S + 0x1000, 128U); // handle_bytes
        long r = _h.Syscall(G.NameToHandleAt, AtFdCwd, (long)S, (long)(S + 0x1000), (long)(S + 0x800), 0);
        if (r == -Errno.EOPNOTSUPP) return; // a file system without exportable handles
        Assert.Equal(0, r);
        Assert.InRange(_h.Memory.Read<uint>(S + 0x1000), 1U, 128U);
        // open_by_handle_at needs CAP_DAC_READ_SEARCH: EPERM without, an fd with.
        _h.WriteString(S + 0x200, _dir);
        long mount = _h.Syscall(G.Openat, AtFdCwd, (long)(S + 0x200), 0x4000, 0);
        long fd = _h.Syscall(G.OpenByHandleAt, (ulong)mount, S + 0x1000, 0);
        Assert.True(fd >= 0 || fd == -Errno.EPERM, $"open_by_handle_at: {fd}");
        if (fd >= 0)
        {
            Assert.Equal(6, _h.Syscall(G.Read, (ulong)fd, S + 0x2000, 64));
            _h.Syscall(G.Close, (ulong)fd);
        }
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.NameToHandleAt, AtFdCwd, (long)S, (long)Bad, (long)(S + 0x800), 0));
        _h.Syscall(G.Close, (ulong)mount);
    }

    [Fact]
    public void ClockAdjtimeReadsTheClockState()
    {
        // struct timex: modes (u32) at 0; 0 only reads. The result is the clock state (TIME_OK .. TIME_ERROR).
        new Span<byte>((void*)_h.Memory.HostPointer(S), 208).Clear();
        long state = _h.Syscall(G.ClockAdjtime, 0 /* CLOCK_REALTIME */, S);
        Assert.InRange(state, 0, 5);
        Assert.Equal(state, _h.Syscall(G.Adjtimex, S));
        // time.tv_sec at offset 72: now, give or take.
        Assert.InRange(_h.Memory.Read<long>(S + 72), 1_600_000_000, 4_000_000_000);
        // (Nothing is set: the tests may run as root, and the host clock is not theirs to change.)
    }

    [Fact]
    public void BadPointersGiveEfault()
    {
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Capget, Bad, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.SchedRrGetInterval, 0, Bad));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.TimerfdGettime, 0, 1UL << 45));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Setgroups, 1, Bad));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.ClockAdjtime, 0, Bad));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Adjtimex, 1UL << 45));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Sendmmsg, 0, Bad, 1, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Semop, 0, 1UL << 45, 1));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.MqOpen, Bad, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.InotifyAddWatch, 0, Bad, 1));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Execveat, unchecked((ulong)AtFdCwd), Bad, 0, 0, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.RtSigqueueinfo, (ulong)Environment.ProcessId, 10, Bad));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.MovePages, 0, 1, Bad, 0, S, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Syslog, 3, 1UL << 45, 100));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Mount, Bad, S, S, 0, 0));
    }
}

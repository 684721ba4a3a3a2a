using Emu.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class MiscSyscallTests : IDisposable
{
    private const long AtFdCwd = -100;
    private const ulong S = GuestHarness.Scratch;
    private readonly GuestHarness _h = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-misc").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void DupDup3AndFcntlDupfd()
    {
        Assert.Equal(0, _h.Syscall(G.Pipe2, S, 0));
        int r = _h.Memory.Read<int>(S), w = _h.Memory.Read<int>(S + 4);
        long d = _h.Syscall(G.Dup, (ulong)w);
        Assert.True(d > w || d >= 0);
        long d3 = _h.Syscall(G.Dup3, (ulong)w, 900, 0x80000 /* O_CLOEXEC */);
        Assert.Equal(900, d3);
        Assert.Equal(1, _h.Syscall(G.Fcntl, 900, 1 /* F_GETFD */)); // FD_CLOEXEC
        long d4 = _h.Syscall(G.Fcntl, (ulong)w, 0 /* F_DUPFD */, 950);
        Assert.True(d4 >= 950);
        _h.WriteString(S + 0x100, "q");
        Assert.Equal(1, _h.Syscall(G.Write, 900, S + 0x100, 1));
        Assert.Equal(1, _h.Syscall(G.Read, (ulong)r, S + 0x200, 1));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Fcntl, (ulong)w, 12345));
        foreach (long fd in new long[] { r, w, d, d3, d4 }) _h.Syscall(G.Close, (ulong)fd);
        Assert.Equal(-Errno.EBADF, _h.Syscall(G.Close, 900));
    }

    [Fact]
    public void FaccessatRenameatAndGetdents()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        File.WriteAllText(a, "1");
        _h.WriteString(S, a);
        _h.WriteString(S + 0x400, b);
        Assert.Equal(0, _h.Syscall(G.Faccessat, AtFdCwd, (long)S, 4 /* R_OK */));
        Assert.Equal(0, _h.Syscall(G.Renameat, AtFdCwd, (long)S, AtFdCwd, (long)(S + 0x400)));
        Assert.Equal(-Errno.ENOENT, _h.Syscall(G.Faccessat2, AtFdCwd, (long)S, 0, 0));
        Assert.True(File.Exists(b));

        _h.WriteString(S, _dir);
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)S, 0x4000, 0);
        long n = _h.Syscall(G.Getdents64, (ulong)fd, S + 0x1000, 4096);
        Assert.True(n > 0);
        // linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name[].
        var names = new List<string>();
        for (long off = 0; off < n;)
        {
            ushort reclen = _h.Memory.Read<ushort>(S + 0x1000 + (ulong)off + 16);
            names.Add(_h.Memory.ReadCString(S + 0x1000 + (ulong)off + 19)!);
            off += reclen;
        }
        Assert.Contains("b", names);
        Assert.Contains(".", names);
        _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void StatxPassesThrough()
    {
        string f = Path.Combine(_dir, "sx");
        File.WriteAllBytes(f, new byte[777]);
        _h.WriteString(S, f);
        Assert.Equal(0, _h.Syscall(G.Statx, AtFdCwd, (long)S, 0, 0x7ff /* STATX_BASIC_STATS */, (long)(S + 0x1000)));
        Assert.Equal(777UL, _h.Memory.Read<ulong>(S + 0x1000 + 40)); // stx_size
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Statx, AtFdCwd, (long)S, 0, 0x7ff, 1L << 40));
    }

    [Fact]
    public void SystemInformationCalls()
    {
        Assert.Equal(0, _h.Syscall(G.Sysinfo, S));
        Assert.True(_h.Memory.Read<ulong>(S + 32) > 0); // totalram
        Assert.True(_h.Syscall(G.Times, S) != 0);
        Assert.Equal(0, _h.Syscall(G.Getrusage, 0, S));
        long n = _h.Syscall(G.SchedGetaffinity, 0, 128, S);
        Assert.True(n > 0);
        Assert.NotEqual(0UL, _h.Memory.Read<ulong>(S));
        Assert.Equal(0, _h.Syscall(G.SchedYield));
        long old = _h.Syscall(G.Umask, 0x12);
        Assert.Equal(0x12, _h.Syscall(G.Umask, (ulong)old));
        Assert.Equal(0, _h.Syscall(G.Getrlimit, 7 /* RLIMIT_NOFILE */, S));
        Assert.NotEqual(0UL, _h.Memory.Read<ulong>(S));
        Assert.Equal(0, _h.Syscall(G.ClockGetres, 1, S));
        Assert.Equal(0, _h.Syscall(G.Gettimeofday, S, 0));
        Assert.True(_h.Memory.Read<long>(S) > 1_600_000_000);
        // pid 1 is never our child (waiting for any child would race with other tests' child processes).
        Assert.Equal(-Errno.ECHILD, _h.Syscall(G.Wait4, 1, S, 1 /* WNOHANG */, 0));
    }
}

using Emu.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class FileSyscallTests : IDisposable
{
    private const long AtFdCwd = -100;
    private readonly GuestHarness _h = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-linux").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private (int ReadFd, int WriteFd) Pipe()
    {
        ulong fds = GuestHarness.Scratch + 0x800;
        Assert.Equal(0, _h.Syscall(G.Pipe2, fds, 0));
        return (_h.Memory.Read<int>(fds), _h.Memory.Read<int>(fds + 4));
    }

    [Fact]
    public void WriteToAPipeAndReadItBack()
    {
        var (r, w) = Pipe();
        ulong buf = GuestHarness.Scratch;
        _h.WriteString(buf, "hello");
        Assert.Equal(5, _h.Syscall(G.Write, (ulong)w, buf, 5));
        ulong dst = GuestHarness.Scratch + 0x100;
        Assert.Equal(5, _h.Syscall(G.Read, (ulong)r, dst, 100));
        Assert.Equal("hello", _h.ReadString(dst, 5));
        _h.Syscall(G.Close, (ulong)r);
        _h.Syscall(G.Close, (ulong)w);
    }

    [Fact]
    public void WritevGathersAndReadvScatters()
    {
        var (r, w) = Pipe();
        ulong s = GuestHarness.Scratch, iov = s + 0x200;
        _h.WriteString(s, "abc");
        _h.WriteString(s + 0x10, "defg");
        _h.Memory.Write(iov, s);
        _h.Memory.Write(iov + 8, 3UL);
        _h.Memory.Write(iov + 16, s + 0x10);
        _h.Memory.Write(iov + 24, 4UL);
        Assert.Equal(7, _h.Syscall(G.Writev, (ulong)w, iov, 2));

        ulong d = s + 0x400;
        _h.Memory.Write(iov, d);
        _h.Memory.Write(iov + 8, 2UL);
        _h.Memory.Write(iov + 16, d + 0x10);
        _h.Memory.Write(iov + 24, 10UL);
        Assert.Equal(7, _h.Syscall(G.Readv, (ulong)r, iov, 2));
        Assert.Equal("ab", _h.ReadString(d, 2));
        Assert.Equal("cdefg", _h.ReadString(d + 0x10, 5));
        _h.Syscall(G.Close, (ulong)r);
        _h.Syscall(G.Close, (ulong)w);
    }

    [Fact]
    public void OpenatFstatReportsSizeAtTheAarch64Offset()
    {
        string file = Path.Combine(_dir, "data.bin");
        File.WriteAllBytes(file, new byte[12345]);
        ulong path = GuestHarness.Scratch, st = GuestHarness.Scratch + 0x1000;
        _h.WriteString(path, file);
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)path, 0 /* O_RDONLY */, 0);
        Assert.True(fd >= 0, $"openat returned {fd}");
        Assert.Equal(0, _h.Syscall(G.Fstat, (ulong)fd, st));
        Assert.Equal(12345L, _h.Memory.Read<long>(st + 48));
        Assert.Equal(0x8000u, _h.Memory.Read<uint>(st + 16) & 0xf000); // S_IFREG in st_mode at 16
        Assert.Equal(1u, _h.Memory.Read<uint>(st + 20)); // st_nlink

        _h.Memory.GetSpan(st, 128).Clear();
        Assert.Equal(0, _h.Syscall(G.Newfstatat, AtFdCwd, (long)path, (long)st, 0));
        Assert.Equal(12345L, _h.Memory.Read<long>(st + 48));

        Assert.Equal(100, _h.Syscall(G.Lseek, (ulong)fd, 100, 0 /* SEEK_SET */));
        Assert.Equal(0, _h.Syscall(G.Close, (ulong)fd));
    }

    [Fact]
    public void OpenatCreatesWritesAndReadsBack()
    {
        string file = Path.Combine(_dir, "new.txt");
        ulong path = GuestHarness.Scratch, buf = GuestHarness.Scratch + 0x1000;
        _h.WriteString(path, file);
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)path, 0x2 | 0x40 | 0x200 /* O_RDWR|O_CREAT|O_TRUNC */, 0x1a4);
        Assert.True(fd >= 0);
        _h.WriteString(buf, "guest data");
        Assert.Equal(10, _h.Syscall(G.Write, (ulong)fd, buf, 10));
        _h.Syscall(G.Close, (ulong)fd);
        Assert.Equal("guest data", File.ReadAllText(file));
    }

    [Fact]
    public void GuestODirectoryFlagIsTranslated()
    {
        ulong path = GuestHarness.Scratch;
        _h.WriteString(path, _dir);
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)path, 0x4000 /* aarch64 O_DIRECTORY */, 0);
        Assert.True(fd >= 0);
        _h.Syscall(G.Close, (ulong)fd);

        string file = Path.Combine(_dir, "plain");
        File.WriteAllText(file, "x");
        _h.WriteString(path, file);
        Assert.Equal(-Errno.ENOTDIR, _h.Syscall(G.Openat, AtFdCwd, (long)path, 0x4000, 0));
    }

    [Fact]
    public void FcntlGetflReturnsGuestFlags()
    {
        string file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        ulong path = GuestHarness.Scratch;
        _h.WriteString(path, file);
        long fd = _h.Syscall(G.Openat, AtFdCwd, (long)path, 2 /* O_RDWR */, 0);
        long flags = _h.Syscall(G.Fcntl, (ulong)fd, 3 /* F_GETFL */);
        Assert.Equal(2, flags & 3);
        Assert.Equal(0x20000, flags & 0x20000); // 64-bit kernels report O_LARGEFILE, here in aarch64's encoding
        Assert.Equal(0, flags & 0x8000); // not x86_64's O_LARGEFILE bit (aarch64 O_NOFOLLOW)
        _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void MissingFileGivesEnoent()
    {
        ulong path = GuestHarness.Scratch;
        _h.WriteString(path, Path.Combine(_dir, "does-not-exist"));
        Assert.Equal(-Errno.ENOENT, _h.Syscall(G.Openat, AtFdCwd, (long)path, 0, 0));
    }

    [Fact]
    public void BadPointersGiveEfault()
    {
        var (r, w) = Pipe();
        // Outside the 4 GiB reservation.
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Write, (ulong)w, 1UL << 33, 4));
        // Inside the reservation but unmapped: the host kernel refuses the PROT_NONE page.
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Write, (ulong)w, 0x8000_0000, 4));
        // Paths the translator reads itself.
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Openat, AtFdCwd, 0x8000_0000, 0, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Fstat, (ulong)r, 0x8000_0000));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Uname, 0x8000_0000));
        _h.Syscall(G.Close, (ulong)r);
        _h.Syscall(G.Close, (ulong)w);
    }

    [Fact]
    public void ReadlinkatSelfExeNamesTheGuestProgram()
    {
        using var h = new GuestHarness(new ProcessOptions { ExecutablePath = "/opt/guest/hello" });
        ulong path = GuestHarness.Scratch, buf = GuestHarness.Scratch + 0x1000;
        h.WriteString(path, "/proc/self/exe");
        Assert.Equal(16, h.Syscall(G.Readlinkat, AtFdCwd, (long)path, (long)buf, 256));
        Assert.Equal("/opt/guest/hello", h.ReadString(buf, 16));
    }

    [Fact]
    public void SysrootIsTriedFirstForOpenat()
    {
        string root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "only-in-root"), "from sysroot");
        using var h = new GuestHarness(new ProcessOptions { SysRoot = root });
        ulong path = GuestHarness.Scratch, buf = GuestHarness.Scratch + 0x1000;
        h.WriteString(path, "/etc/only-in-root");
        long fd = h.Syscall(G.Openat, AtFdCwd, (long)path, 0, 0);
        Assert.True(fd >= 0);
        Assert.Equal(12, h.Syscall(G.Read, (ulong)fd, buf, 100));
        Assert.Equal("from sysroot", h.ReadString(buf, 12));
        h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void IoctlUnknownRequestIsEnotty()
    {
        var (r, w) = Pipe();
        Assert.Equal(-Errno.ENOTTY, _h.Syscall(G.Ioctl, (ulong)r, 0x12345678, GuestHarness.Scratch));
        // TCGETS on a pipe: the host answers ENOTTY too.
        Assert.Equal(-Errno.ENOTTY, _h.Syscall(G.Ioctl, (ulong)r, 0x5401, GuestHarness.Scratch));
        _h.WriteString(GuestHarness.Scratch, "abc");
        _h.Syscall(G.Write, (ulong)w, GuestHarness.Scratch, 3);
        Assert.Equal(0, _h.Syscall(G.Ioctl, (ulong)r, 0x541B /* FIONREAD */, GuestHarness.Scratch + 0x100));
        Assert.Equal(3, _h.Memory.Read<int>(GuestHarness.Scratch + 0x100));
        _h.Syscall(G.Close, (ulong)r);
        _h.Syscall(G.Close, (ulong)w);
    }

    [Fact]
    public void MkdiratUnlinkatAndGetcwd()
    {
        ulong path = GuestHarness.Scratch;
        string sub = Path.Combine(_dir, "sub");
        _h.WriteString(path, sub);
        Assert.Equal(0, _h.Syscall(G.Mkdirat, AtFdCwd, (long)path, 0x1ed));
        Assert.True(Directory.Exists(sub));
        Assert.Equal(0, _h.Syscall(G.Unlinkat, AtFdCwd, (long)path, 0x200 /* AT_REMOVEDIR */));
        Assert.False(Directory.Exists(sub));

        long n = _h.Syscall(G.Getcwd, GuestHarness.Scratch + 0x1000, 4096);
        Assert.True(n > 0);
        Assert.Equal(Directory.GetCurrentDirectory(), _h.ReadString(GuestHarness.Scratch + 0x1000, (int)n - 1));
    }
}

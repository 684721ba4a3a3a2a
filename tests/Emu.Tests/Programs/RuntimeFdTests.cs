using Emu.Tests.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Programs;

/// <summary>
/// A guest child about to exec closes every fd above 2 (Python's subprocess uses close_range): the translator's
/// own fds (assemblies, the -D log) must survive, the guest's must close.
/// </summary>
public sealed class RuntimeFdTests : IDisposable
{
    private const ulong AtFdCwd = unchecked((ulong)-100L);
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-programs-fd").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int HostFd(FileStream s) => (int)s.SafeFileHandle.DangerousGetHandle();

    private static bool HostFdOpen(int fd) => Directory.Exists("/proc/self/fd") && File.Exists($"/proc/self/fd/{fd}");

    [Fact]
    public void CloseRangeAndCloseLeaveTheRuntimesFdsOpenAndCloseTheGuests()
    {
        string file = Path.Combine(_dir, "runtime.log");
        // Opened by the runtime before the guest starts, like the -D log.
        using var runtimeFile = new FileStream(file, FileMode.Create, FileAccess.Write);
        int runtimeFd = HostFd(runtimeFile);
        using var h = new GuestHarness();
        ulong path = GuestHarness.Scratch;
        h.WriteString(path, file);
        long guestFd = h.Syscall(G.Openat, AtFdCwd, path, 0 /* O_RDONLY */, 0);
        Assert.True(guestFd > 2, $"openat returned {guestFd}");

        Assert.Equal(0, h.Syscall(G.CloseRange, (ulong)runtimeFd, (ulong)runtimeFd, 0));
        Assert.True(HostFdOpen(runtimeFd));
        Assert.Equal(-9 /* EBADF */, h.Syscall(G.Close, (ulong)runtimeFd));
        Assert.True(HostFdOpen(runtimeFd));
        runtimeFile.WriteByte(1);
        runtimeFile.Flush();

        Assert.Equal(0, h.Syscall(G.CloseRange, (ulong)guestFd, (ulong)guestFd, 0));
        Assert.Equal(-9 /* EBADF */, h.Syscall(G.Close, (ulong)guestFd));
    }

    [Fact]
    public void AFdNumberTheRuntimeClosedAndTheGuestReopenedIsTheGuests()
    {
        string file = Path.Combine(_dir, "transient");
        File.WriteAllText(file, "x");
        var transient = new FileStream(file, FileMode.Open, FileAccess.Read);
        int fd = HostFd(transient);
        using var h = new GuestHarness();
        transient.Dispose();
        string other = Path.Combine(_dir, "guest");
        File.WriteAllText(other, "y");
        ulong path = GuestHarness.Scratch;
        h.WriteString(path, other);
        long guestFd = h.Syscall(G.Openat, AtFdCwd, path, 0, 0);
        Assert.True(guestFd > 2, $"openat returned {guestFd}");
        // Usually open hands the freed number out again; otherwise put the guest's file there.
        if (guestFd != fd)
        {
            Assert.Equal(fd, h.Syscall(G.Dup3, (ulong)guestFd, (ulong)fd, 0));
            Assert.Equal(0, h.Syscall(G.Close, (ulong)guestFd));
        }
        Assert.Equal(0, h.Syscall(G.Close, (ulong)fd));
        Assert.Equal(-9 /* EBADF */, h.Syscall(G.Close, (ulong)fd));
    }
}

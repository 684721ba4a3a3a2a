using Emu.Linux.Native;

namespace Emu.Tests.Linux;

/// <summary>
/// ParkingSyscall: a blocking host call that returns while a fork parks the guest threads stays in native
/// code until the parking ends; the forking thread itself (whose tid is the park word) is never held.
/// </summary>
public sealed unsafe class ParkingSyscallTests
{
    private const int Read = 0, Write = 1, Close = 3, Pipe2 = 293, Gettid = 186, Futex = 202, FutexWakePrivate = 129;

    [Fact]
    public void CallReturningDuringParkingWaitsUntilParkingEnds()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.SyscallRaw(Pipe2, (long)fds, 0));
        int readFd = fds[0], writeFd = fds[1];
        long result = long.MinValue;
        var reader = new Thread(() =>
        {
            byte b;
            Volatile.Write(ref result, ParkingSyscall.Call(Read, readFd, (long)&b, 1, 0, 0, 0));
        });
        try
        {
            reader.Start();
            Thread.Sleep(100); // let the read block
            Volatile.Write(ref *ParkingSyscall.ParkWord, (int)LibC.SyscallRaw(Gettid));
            byte x = 1;
            Assert.Equal(1, LibC.SyscallRaw(Write, writeFd, (long)&x, 1));
            Assert.False(reader.Join(300), "the read returned to managed code while the park word was set");
            Assert.Equal(long.MinValue, Volatile.Read(ref result));
            // The forking thread's own calls go through.
            Assert.Equal(1, ParkingSyscall.Call(Write, writeFd, (long)&x, 1, 0, 0, 0));
        }
        finally
        {
            Volatile.Write(ref *ParkingSyscall.ParkWord, 0);
            LibC.SyscallRaw(Futex, (long)ParkingSyscall.ParkWord, FutexWakePrivate, int.MaxValue);
        }
        Assert.True(reader.Join(10_000));
        Assert.Equal(1, Volatile.Read(ref result));
        LibC.SyscallRaw(Close, readFd);
        LibC.SyscallRaw(Close, writeFd);
    }

    [Fact]
    public void ErrorsComeBackAsNegativeErrno()
    {
        byte b;
        Assert.Equal(-9 /* EBADF */, ParkingSyscall.Call(Read, -1, (long)&b, 1, 0, 0, 0));
    }
}

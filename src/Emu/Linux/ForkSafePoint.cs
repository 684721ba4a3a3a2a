using System.Diagnostics;
using System.Runtime.InteropServices;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Fork from a multithreaded guest. The child's runtime still lists every thread of the parent; at its first
// garbage collection it waits for each one that was running managed code (cooperative mode) at the fork to
// reach a safe point, signalling a thread that does not exist, for ever. So before fork every other guest
// thread is brought to where the runtime counts it as in native code: one running guest code sees its
// attention flag at the next block end and parks in a futex wait (a P/Invoke); one in a system call parks
// when it leaves it. The forking thread waits until the kernel reports each of them asleep. A thread
// asleep in a blocking host call (futex, read, poll...) is already in native code and is left there.
public sealed unsafe partial class GuestProcess
{
    /// <summary>Nonzero while a fork wants the other guest threads parked; parked threads wait on it.</summary>
    private static readonly int* s_guestPark = (int*)NativeMemory.AllocZeroed(sizeof(int));
    private static readonly object s_guestForkLock = new();
    private const int FutexWaitPrivate = 128, FutexWakePrivate = 129;
    /// <summary>A thread that never settles (stopped by a debugger, say) must not stop the fork for ever.</summary>
    private static readonly TimeSpan ParkTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A safe point of a guest thread (block end, system call entry and exit): waits while a fork is under way.</summary>
    internal static void ParkIfForking()
    {
        while (Volatile.Read(ref *s_guestPark) != 0)
            Native.LibC.SyscallRaw(H.Futex, (long)s_guestPark, FutexWaitPrivate, 1);
    }

    /// <summary>
    /// Brings every other guest thread to a stop in native code until the returned guard is disposed (right
    /// after fork, in parent and child).
    /// </summary>
    private GuestForkGuard ParkGuestThreadsForFork()
    {
        Monitor.Enter(s_guestForkLock);
        Interlocked.Exchange(ref *s_guestPark, 1);
        int self = (int)Host(H.Gettid);
        var clock = Stopwatch.StartNew();
        var others = new List<int>();
        for (int round = 0; ; round++)
        {
            bool settled;
            lock (_signalLock)
            {
                others.Clear();
                foreach (var t in _threads.Values)
                {
                    if (t.Tid == self || t.Tid == 0) continue;
                    others.Add(t.Tid);
                    // Set again each round: the signal wake-up helper clears flags it finds without a signal.
                    if (t.Context != null) t.Context->SignalAttention = 1;
                }
                // A thread being started is counted before it registers; it is not parked yet.
                settled = others.Count >= LiveThreads - 1;
            }
            foreach (int tid in others)
                if (settled && !IsAsleepInKernel(tid)) settled = false;
            if (settled || clock.Elapsed > ParkTimeout) break;
            if (round < 20) Thread.Yield();
            else Thread.Sleep(1);
        }
        return new GuestForkGuard();
    }

    /// <summary>Releases the threads parked by <see cref="ParkGuestThreadsForFork"/> (in a child there are none).</summary>
    private readonly struct GuestForkGuard : IDisposable
    {
        public void Dispose()
        {
            Volatile.Write(ref *s_guestPark, 0);
            Native.LibC.SyscallRaw(H.Futex, (long)s_guestPark, FutexWakePrivate, int.MaxValue);
            Monitor.Exit(s_guestForkLock);
        }
    }

    /// <summary>
    /// True if the host thread is in an interruptible sleep in the kernel (state S in /proc/self/task/TID/stat)
    /// or gone. Managed code blocks only through native calls, so such a thread is not in cooperative mode.
    /// </summary>
    private static bool IsAsleepInKernel(int tid)
    {
        byte* path = stackalloc byte[48];
        int length = 0;
        foreach (char c in $"/proc/self/task/{tid}/stat") path[length++] = (byte)c;
        path[length] = 0;
        long fd = Host(H.Openat, -100 /* AT_FDCWD */, (long)path, 0x80000 /* O_RDONLY|O_CLOEXEC */);
        if (fd < 0) return true; // the thread has ended
        byte* buffer = stackalloc byte[512];
        long n = Host(H.Read, fd, (long)buffer, 512);
        Host(H.Close, fd);
        if (n <= 0) return true;
        // "tid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        for (long i = n - 1; i > 0; i--)
            if (buffer[i] == (byte)')') return i + 2 < n && buffer[i + 2] == (byte)'S';
        return false;
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Fork from a multithreaded guest. The child's runtime still lists every thread of the parent; at its first
// garbage collection it waits for each one that was running managed code (cooperative mode) at the fork to
// reach a safe point, signalling a thread that does not exist, for ever. So before fork every other guest
// thread is brought to where the runtime counts it as in native code, for good: one running guest code sees
// its attention flag at the next block end and parks in a futex wait on the park word (a P/Invoke); one in
// a system call parks when it leaves it. A blocking host call (read, poll, futex...) is made through
// ParkingSyscall, which parks in native code on its way out, so a call that returns during the parking
// window does not bring its thread back to managed code. The forking thread waits until the kernel shows
// each other thread either waiting on the park word or inside a ParkingSyscall call (/proc/self/task/TID/
// syscall); a thread anywhere else (running, or in a wait of the runtime's, from which it would return to
// managed code) is waited for.
public sealed unsafe partial class GuestProcess
{
    /// <summary>Nonzero (the forking thread's tid) while a fork wants the other guest threads parked; they wait on it.</summary>
    private static int* s_guestPark => Native.ParkingSyscall.ParkWord;
    private static readonly object s_guestForkLock = new();
    private const int FutexWaitPrivate = 128, FutexWakePrivate = 129;
    /// <summary>A thread that never settles (stopped by a debugger, say) must not stop the fork for ever.</summary>
    private static readonly TimeSpan ParkTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A safe point of a guest thread (block end, system call entry and exit): waits while a fork is under way.</summary>
    internal static void ParkIfForking()
    {
        int word;
        while ((word = Volatile.Read(ref *s_guestPark)) != 0 && word != (int)Native.LibC.SyscallRaw(H.Gettid))
            Native.LibC.SyscallRaw(H.Futex, (long)s_guestPark, FutexWaitPrivate, word);
    }

    /// <summary>
    /// Enters <paramref name="lockObject"/>, which a fork may hold: a thread waiting for it parks for that fork
    /// like any guest thread, or the fork would wait for it while it waits for the fork.
    /// </summary>
    internal static void EnterParkingForFork(object lockObject)
    {
        while (!Monitor.TryEnter(lockObject, 1)) ParkIfForking();
    }

    /// <summary>
    /// Brings every other guest thread to a stop in native code until the returned guard is disposed (right
    /// after fork, in parent and child).
    /// </summary>
    private GuestForkGuard ParkGuestThreadsForFork()
    {
        Monitor.Enter(s_guestForkLock);
        int self = (int)Host(H.Gettid);
        Interlocked.Exchange(ref *s_guestPark, self);
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
                Signals.HostSignals.RequestAttention();
                // A thread being started is counted before it registers; it is not parked yet.
                settled = others.Count >= LiveThreads - 1;
            }
            foreach (int tid in others)
                if (settled && !IsParkedForFork(tid)) settled = false;
            // The signal wake-up helper is a managed thread too: parked at the top of its loop, or ended.
            if (settled && _kickerThread is { } kicker && kicker.IsAlive)
            {
                int kickerTid = Volatile.Read(ref _kickerTid);
                if (kickerTid == 0 || !IsWaitingOn(kickerTid, s_guestPark)) settled = false;
            }
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
    /// True if host thread <paramref name="tid"/> is gone, waits on the park word, or is inside a
    /// ParkingSyscall call (it parks when the call returns), as /proc/self/task/TID/syscall shows:
    /// "NR ARG0..ARG5 SP PC" in a system call, "-1 SP PC" blocked otherwise, "running".
    /// Without that file: asleep in the kernel (state S in .../stat), the best guess there is.
    /// </summary>
    private static bool IsParkedForFork(int tid)
    {
        byte* buffer = stackalloc byte[512];
        long n = ReadTaskFile(tid, "syscall", buffer, 511);
        if (n == -2) return true; // the thread has ended
        if (n <= 0) return IsAsleepInKernel(tid);
        var fields = System.Text.Encoding.ASCII.GetString(buffer, (int)n).Trim().Split(' ');
        if (fields.Length != 9 || !long.TryParse(fields[0], out long nr)) return false;
        ulong Hex(string s) => ulong.TryParse(s.AsSpan(s.StartsWith("0x", StringComparison.Ordinal) ? 2 : 0),
            System.Globalization.NumberStyles.HexNumber, null, out ulong v) ? v : 0;
        if (nr == H.Futex && Hex(fields[1]) == (ulong)s_guestPark) return true;
        return Native.ParkingSyscall.Contains(Hex(fields[8]));
    }

    /// <summary>True if host thread <paramref name="tid"/> is in a futex wait on <paramref name="word"/> (/proc/self/task/TID/syscall).</summary>
    private static bool IsWaitingOn(int tid, int* word)
    {
        if (tid == 0) return false;
        byte* buffer = stackalloc byte[512];
        long n = ReadTaskFile(tid, "syscall", buffer, 511);
        if (n <= 0) return false;
        var fields = System.Text.Encoding.ASCII.GetString(buffer, (int)n).Trim().Split(' ');
        return fields.Length == 9 && long.TryParse(fields[0], out long nr) && nr == H.Futex
            && ulong.TryParse(fields[1].AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out ulong address)
            && address == (ulong)word;
    }

    /// <summary>Reads /proc/self/task/TID/NAME into <paramref name="buffer"/>: bytes read, -2 if the thread is gone, else &lt;= 0.</summary>
    private static long ReadTaskFile(int tid, string name, byte* buffer, int size)
    {
        byte* path = stackalloc byte[64];
        int length = 0;
        foreach (char c in $"/proc/self/task/{tid}/{name}") path[length++] = (byte)c;
        path[length] = 0;
        // Not Host: the forking thread's own calls must not depend on the park word.
        long fd = Native.LibC.SyscallRaw(H.Openat, -100 /* AT_FDCWD */, (long)path, 0x80000 /* O_RDONLY|O_CLOEXEC */);
        if (fd == -Errno.ENOENT || fd == -Errno.ESRCH) return -2;
        if (fd < 0) return -1;
        long n = Native.LibC.SyscallRaw(H.Read, fd, (long)buffer, size);
        Native.LibC.SyscallRaw(H.Close, fd);
        return n;
    }

    /// <summary>
    /// True if the host thread is in an interruptible sleep in the kernel (state S in /proc/self/task/TID/stat)
    /// or gone. Managed code blocks only through native calls, so such a thread is not in cooperative mode.
    /// </summary>
    private static bool IsAsleepInKernel(int tid)
    {
        byte* buffer = stackalloc byte[512];
        long n = ReadTaskFile(tid, "stat", buffer, 512);
        if (n == -2) return true;
        if (n <= 0) return true;
        // "tid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        for (long i = n - 1; i > 0; i--)
            if (buffer[i] == (byte)')') return i + 2 < n && buffer[i + 2] == (byte)'S';
        return false;
    }
}

// The runtime's finalizer thread runs managed code whenever a garbage collection has found finalizable
// objects (or a thread has ended, or a DynamicMethod's code is released), at any moment: caught running at
// the fork it leaves the child a thread in cooperative mode (its first GC waits for it for ever) or a
// runtime lock held for ever (seen: the child blocked on a libcoreclr mutex while the parent's finalizer
// thread was running). Before fork it is therefore captured like a guest thread: a GC finds an object
// whose finalizer waits on a futex word until the fork is done, so the finalizer thread sits in native
// code, outside every lock, and cannot pick up other finalizers.
public sealed unsafe partial class GuestProcess
{
    /// <summary>Nonzero (the fork's number) while a fork holds the finalizer thread; its finalizer waits on it.</summary>
    private static readonly int* s_finalizerPark = (int*)NativeMemory.AllocZeroed(2 * sizeof(int));
    /// <summary>The fork number the finalizer thread is held for (written by it before it waits).</summary>
    private static int* FinalizerParkedFor => s_finalizerPark + 1;
    private static int s_finalizerTid, s_forkNumber;
    /// <summary>Waiting longer for the finalizer thread (busy with a slow finalizer) is not worth a stalled fork.</summary>
    private static readonly TimeSpan FinalizerCaptureTimeout = TimeSpan.FromSeconds(2);

    /// <summary>An object that holds the finalizer thread in a futex wait while the fork numbered <see cref="_fork"/> is under way.</summary>
    private sealed class FinalizerThreadHold(int fork)
    {
        private readonly int _fork = fork;

        ~FinalizerThreadHold()
        {
            if (Volatile.Read(ref *s_finalizerPark) != _fork) return; // that fork is over
            Volatile.Write(ref s_finalizerTid, (int)Native.LibC.SyscallRaw(H.Gettid));
            Volatile.Write(ref *FinalizerParkedFor, _fork);
            while (Volatile.Read(ref *s_finalizerPark) == _fork)
                Native.LibC.SyscallRaw(H.Futex, (long)s_finalizerPark, FutexWaitPrivate, _fork);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DropFinalizerThreadHold(int fork) => _ = new FinalizerThreadHold(fork);

    /// <summary>
    /// Holds the runtime's finalizer thread in native code until the returned guard is disposed (right after
    /// fork, in parent and child). Costs a gen0 collection. A fork child has no finalizer thread: nothing to hold.
    /// </summary>
    private FinalizerForkGuard HoldFinalizerThreadForFork()
    {
        // One fork at a time (the lock is taken again by ParkGuestThreadsForFork). A thread that waits here
        // for another thread's fork parks like any other guest thread.
        EnterParkingForFork(s_guestForkLock);
        if (IsForkedChild) return new FinalizerForkGuard(false);
        int fork = Interlocked.Increment(ref s_forkNumber) & int.MaxValue;
        if (fork == 0) fork = Interlocked.Increment(ref s_forkNumber) & int.MaxValue;
        Volatile.Write(ref *s_finalizerPark, fork);
        var clock = Stopwatch.StartNew();
        for (int round = 0; clock.Elapsed < FinalizerCaptureTimeout; round++)
        {
            // A fresh object each time: one that a collection missed (still in a register) is found by a later one.
            if (round % 200 == 0)
            {
                DropFinalizerThreadHold(fork);
                GC.Collect(round == 0 ? 0 : GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            }
            if (Volatile.Read(ref *FinalizerParkedFor) == fork && IsWaitingOn(Volatile.Read(ref s_finalizerTid), s_finalizerPark))
                break;
            if (round < 20) Thread.Yield();
            else Thread.Sleep(1);
        }
        return new FinalizerForkGuard(true);
    }

    /// <summary>Releases the finalizer thread held by <see cref="HoldFinalizerThreadForFork"/>.</summary>
    private readonly struct FinalizerForkGuard(bool held) : IDisposable
    {
        public void Dispose()
        {
            if (held)
            {
                Volatile.Write(ref *s_finalizerPark, 0);
                Native.LibC.SyscallRaw(H.Futex, (long)s_finalizerPark, FutexWakePrivate, int.MaxValue);
            }
            Monitor.Exit(s_guestForkLock);
        }
    }
}

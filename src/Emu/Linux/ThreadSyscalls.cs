using System.Runtime.CompilerServices;
using Emu.Cpu;
using Emu.Linux.Signals;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

/// <summary>Runs a guest thread whose state is the given context until it exits; returns its exit status.</summary>
public unsafe delegate int GuestThreadRunner(CpuContext* ctx);

// Guest threads are host threads: clone with the pthread flag set starts a host thread that runs its own
// CpuContext through the same dispatcher. Guest memory is shared host memory, so futexes just work.
public sealed unsafe partial class GuestProcess
{
    private const ulong CloneVm = 0x100, CloneFs = 0x200, CloneFiles = 0x400, CloneSighand = 0x800, CloneVfork = 0x4000,
        CloneThread = 0x10000, CloneSysvsem = 0x40000, CloneSettls = 0x80000, CloneParentSettid = 0x100000,
        CloneChildCleartid = 0x200000, CloneDetached = 0x400000, CloneChildSettid = 0x1000000;
    private const ulong ThreadFlags = CloneVm | CloneFs | CloneFiles | CloneSighand | CloneThread | CloneSysvsem;
    private const ulong AllowedThreadFlags = ThreadFlags | CloneSettls | CloneParentSettid | CloneChildCleartid | CloneDetached | CloneChildSettid;
    private const int ExitSignalMask = 0xff;

    /// <summary>
    /// Runs a new guest thread to its end (the dispatcher's Run). Set by whoever owns the dispatcher;
    /// while it is null, clone answers ENOSYS.
    /// </summary>
    public GuestThreadRunner? ThreadRunner { get; set; }

    private int _liveThreads = 1;

    /// <summary>Guest threads alive, the initial one included.</summary>
    public int LiveThreads => Volatile.Read(ref _liveThreads);

    // set_tid_address is per thread.
    [ThreadStatic] private static ulong t_clearChildTid;
    [ThreadStatic] private static bool t_isCloneThread;

    /// <summary>True on a thread started by clone (false on the initial guest thread).</summary>
    private static bool IsCloneThread => t_isCloneThread;

    private void RegisterThreadSyscalls()
    {
        Register(G.Clone, "xpppp", SysClone);
    }

    private long SysClone(SyscallArgs a)
    {
        ulong flags = a.A0, stack = a.A1, parentTid = a.A2, tls = a.A3, childTid = a.A4;
        var runner = ThreadRunner;
        if ((flags & CloneVm) == 0 || (flags & CloneVfork) != 0) return Fork(a);
        if ((flags & ThreadFlags) != ThreadFlags || (flags & ~(AllowedThreadFlags | ExitSignalMask)) != 0) return -EINVAL;
        if (runner == null) return -ENOSYS;
        // Check the pointers before the thread exists, so a bad one cannot leave a half-made thread.
        if ((flags & CloneParentSettid) != 0) CheckedPointer(parentTid, 4, GuestProt.Write);
        if ((flags & (CloneChildSettid | CloneChildCleartid)) != 0) CheckedPointer(childTid, 4, GuestProt.Write);

        CpuContext* child = CpuContext.Allocate();
        Unsafe.CopyBlockUnaligned(child, a.Ctx, (uint)sizeof(CpuContext));
        child->X[0] = 0;
        if (stack != 0) child->X[CpuContext.SpIndex] = stack;
        if ((flags & CloneSettls) != 0) child->Tpidr = tls;
        child->Exit = ExitReason.None;
        child->ExclusiveSize = 0;

        var childSignals = NewThreadState(child);
        // A new thread's name (comm) is its creator's, as in Linux; the runtime names the host thread itself.
        var name = new byte[16];
        fixed (byte* n = name) Host(H.Prctl, 16 /* PR_GET_NAME */, (long)n);
        int tid = 0;
        using var started = new ManualResetEventSlim();
        Interlocked.Increment(ref _liveThreads);
        var thread = new Thread(() =>
        {
            t_isCloneThread = true;
            fixed (byte* n = name) Host(H.Prctl, 15 /* PR_SET_NAME */, (long)n);
            int myTid = (int)Host(H.Gettid);
            // Written here, before any guest code of the child runs: glibc passes the same word for the
            // parent's tid and the child's clear-on-exit, and a child that exits at once must find it set.
            if ((flags & CloneParentSettid) != 0) WriteGuest(parentTid, myTid);
            if ((flags & CloneChildSettid) != 0) WriteGuest(childTid, myTid);
            // The parent's copy too, before any guest code of this thread runs (as the kernel does): written
            // by the parent after the start, it could land after this thread had already exited and cleared
            // the same word (glibc passes pd->tid for both), and pthread_join would wait for ever.
            if ((flags & CloneParentSettid) != 0) WriteGuest(parentTid, myTid);
            t_clearChildTid = (flags & CloneChildCleartid) != 0 ? childTid : 0;
            tid = myTid;
            ThreadStarted(childSignals, myTid);
            started.Set();
            try
            {
                int status = runner(child);
                if (TerminatingSignal is { } signo) FatalSignal.Die(signo);
                _ = status;
            }
            finally
            {
                ThreadEnded(childSignals);
                EndThread();
                CpuContext.Free(child);
            }
        }, maxStackSize: 16 << 20)
        {
            IsBackground = true,
            Name = "guest thread",
        };
        lock (_finishingThreads) _finishingThreads.Add(thread);
        thread.Start();
        started.Wait();
        return tid;
    }

    // Host threads of guest threads, until fork has seen them end (see WaitForFinishedThreads).
    private readonly List<Thread> _finishingThreads = [];

    /// <summary>
    /// Before fork: host threads whose guest thread has ended are waited for until they have left managed
    /// code. One still unwinding when the process forks would be a thread the child's garbage collector
    /// waits for forever.
    /// </summary>
    private void WaitForFinishedThreads()
    {
        lock (_finishingThreads)
        {
            int live = LiveThreads;
            _finishingThreads.RemoveAll(t => !t.IsAlive);
            // Those still alive beyond the guest threads that are running are on their way out.
            if (_finishingThreads.Count > live - 1)
                foreach (var t in _finishingThreads.ToArray())
                    if (t != Thread.CurrentThread && t.Join(TimeSpan.FromMilliseconds(200))) _finishingThreads.Remove(t);
        }
    }

    /// <summary>
    /// The initial thread called exit (pthread_exit from main): the process lives on until its other
    /// threads end, so the dispatcher's Run (and with it the process) must not return before then.
    /// </summary>
    private void WaitForOtherThreads()
    {
        ulong clear = t_clearChildTid;
        t_clearChildTid = 0;
        if (clear != 0 && Memory.IsAccessible(clear, 4, GuestProt.Write))
        {
            Volatile.Write(ref *(int*)Memory.HostPointer(clear), 0);
            Host(H.Futex, (long)Memory.HostPointer(clear), 1 /* FUTEX_WAKE */, 1);
        }
        Interlocked.Decrement(ref _liveThreads);
        while (LiveThreads > 0)
        {
            ParkIfForking();
            Thread.Sleep(5);
        }
    }

    /// <summary>What Linux does when a thread ends: clear its tid word and wake one waiter (pthread_join).</summary>
    private void EndThread()
    {
        ulong clear = t_clearChildTid;
        if (clear != 0 && Memory.IsAccessible(clear, 4, GuestProt.Write))
        {
            Volatile.Write(ref *(int*)Memory.HostPointer(clear), 0);
            Host(H.Futex, (long)Memory.HostPointer(clear), 1 /* FUTEX_WAKE */, 1);
        }
        Interlocked.Decrement(ref _liveThreads);
    }
}

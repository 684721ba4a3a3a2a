using System.Numerics;
using Emu.Cpu;
using Emu.Linux.Abi;
using Emu.Linux.Native;
using Emu.Linux.Signals;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// Signal state of the guest. The guest's handlers are guest code, so dispositions, masks and alternate
// stacks are kept here, never installed in the host. As in Linux, dispositions and the process-directed
// pending set are shared; each thread (GuestThread) has its mask, its thread-directed pending set and its
// alternate stack. A signal is entered when a syscall returns or between blocks; one whose default action
// kills the process kills it for real, so the parent sees the right wait status. Signals from outside
// reach the guest through host handlers of ours (HostSignals). A signal for another guest thread sets that
// thread's SignalAttention and interrupts its blocking host syscall with HostSignals.WakeSignal.
public sealed unsafe partial class GuestProcess
{
    private const int SigBlock = 0, SigUnblock = 1, SigSetMask = 2;
    private const ulong Unblockable = (1UL << (SignalNumbers.SIGKILL - 1)) | (1UL << (SignalNumbers.SIGSTOP - 1));

    private const int SiUser = 0, SiTkill = -6, SiKernel = 0x80;

    private readonly object _signalLock = new();
    private readonly GuestSigaction[] _sigactions = new GuestSigaction[SignalNumbers.Max + 1];
    private readonly Dictionary<int, GuestThread> _threads = [];
    private ulong _processPending;
    private readonly PendingSignalInfo[] _processInfo = new PendingSignalInfo[SignalNumbers.Max + 1];
    // The mask the first thread starts with: the one execve left in the host (Linux keeps it across exec).
    private ulong _initialMask;

    [ThreadStatic] private static GuestThread? t_thread;

    /// <summary>The calling guest thread's signal state (made on first use for the initial thread).</summary>
    public GuestThread CurrentThread
    {
        get
        {
            var t = t_thread;
            if (t != null && ReferenceEquals(t.Owner, this)) return t;
            t = new GuestThread(this, (int)Host(H.Gettid), _initialMask);
            lock (_signalLock) _threads[t.Tid] = t;
            t_thread = t;
            return t;
        }
    }

    /// <summary>The calling guest thread's blocked-signal mask (bit n-1 = signal n).</summary>
    public ulong SignalMask => CurrentThread.BlockedMask;
    /// <summary>Signals raised for the calling thread or the process and not yet delivered (bit n-1 = signal n).</summary>
    public ulong PendingSignals => CurrentThread.Pending | _processPending;

    public GuestSigaction GetSigaction(int signo) => _sigactions[signo];

    private static ulong Bit(int signo) => 1UL << (signo - 1);

    private void RegisterSignalSyscalls()
    {
        InheritHostSignalState();
        Register(G.RtSigaction, "dppu", SysRtSigaction);
        Register(G.RtSigprocmask, "dppu", SysRtSigprocmask);
        Register(G.RtSigpending, "pu", (SyscallArgs a) =>
        {
            if (a.A1 != 8) return -EINVAL;
            TakeHostSignals();
            var t = CurrentThread;
            WriteGuest(a.A0, (t.Pending | _processPending) & t.BlockedMask);
            return 0;
        });
        Register(G.Sigaltstack, "pp", SysSigaltstack);
        Register(G.RtSigsuspend, "pu", SysRtSigsuspend);
        Register(G.RtSigtimedwait, "pppu", SysRtSigtimedwait);
        Register(G.Kill, "dd", SysKill);
        Register(G.Tgkill, "ddd", (SyscallArgs a) => (int)a.A0 == (int)Host(H.Getpid) && FindThread((int)a.A1) is { } t
            ? SendToThread(t, (int)a.A2)
            : Host(H.Tgkill, (long)a.A0, (long)a.A1, (long)a.A2));
        Register(G.Tkill, "dd", (SyscallArgs a) => FindThread((int)a.A0) is { } t
            ? SendToThread(t, (int)a.A1)
            : Host(H.Tkill, (long)a.A0, (long)a.A1));
    }

    /// <summary>
    /// After execve the host's blocked mask and ignored signals are what the guest had: they become the
    /// guest's (SIGPIPE excepted: the runtime ignores it itself, unless a translator passed the guest's set). The host mask is then cleared, so host
    /// signals reach the translator and are queued for the guest here.
    /// </summary>
    private void InheritHostSignalState()
    {
        ulong old = 0;
        if (Host(H.RtSigprocmask, SigBlock, 0, (long)&old, 8) == 0 && old != 0)
        {
            _initialMask = old & ~Unblockable & ~Bit(HostSignals.WakeSignal);
            Host(H.RtSigprocmask, SigUnblock, (long)&old, 0, 8);
            for (ulong m = _initialMask & ~(Bit(20) | Bit(21) | Bit(22)); m != 0; m &= m - 1)
                HostSignals.Route(BitOperations.TrailingZeroCount(m) + 1);
        }
        // A translator that exec'd this one said what the guest ignored, SIGPIPE included.
        if (TakeInheritedIgnoredSignals() is { } ignored)
        {
            for (int signo = 1; signo <= SignalNumbers.Max; signo++)
                if ((ignored & Bit(signo)) != 0 && (Bit(signo) & Unblockable) == 0) _sigactions[signo].Handler = GuestSigaction.SigIgnore;
            return;
        }
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
        {
            if (!HostSignals.CanRoute(signo)) continue;
            LibC.HostSigaction current;
            if (LibC.Sigaction(signo, null, &current) == 0 && current.Handler == 1 /* SIG_IGN */)
                _sigactions[signo].Handler = GuestSigaction.SigIgnore;
        }
        // The native launcher saw SIGPIPE before the runtime ignored it.
        if (Environment.GetEnvironmentVariable(SigpipeIgnoredVariable) == "1") _sigactions[13].Handler = GuestSigaction.SigIgnore;
        Environment.SetEnvironmentVariable(SigpipeIgnoredVariable, null);
    }

    /// <summary>A guest thread of this process with host tid <paramref name="tid"/>, or null.</summary>
    private GuestThread? FindThread(int tid)
    {
        lock (_signalLock)
        {
            if (_threads.TryGetValue(tid, out var t)) return t;
        }
        // The initial thread may not have registered yet; the process id names it too.
        var current = CurrentThread;
        return current.Tid == tid ? current : null;
    }

    private long SysKill(SyscallArgs a)
    {
        int pid = (int)a.A0, signo = (int)a.A1;
        int self = (int)Host(H.Getpid);
        if (pid != self) return Host(H.Kill, pid, signo);
        if (signo == 0) return 0;
        if (signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
        Generate(null, signo, new PendingSignalInfo(SiUser, self, (uint)Host(H.Getuid), 0));
        return 0;
    }

    private long SendToThread(GuestThread target, int signo)
    {
        if (signo == 0) return 0;
        if (signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
        Generate(target, signo, new PendingSignalInfo(SiTkill, (int)Host(H.Getpid), (uint)Host(H.Getuid), 0));
        return 0;
    }

    private long SysRtSigaction(SyscallArgs a)
    {
        int signo = (int)a.A0;
        ulong act = a.A1, oldact = a.A2;
        if (a.A3 != 8 || signo < 1 || signo > SignalNumbers.Max) return -EINVAL;
        GuestSigaction? newAction = act != 0 ? ReadGuest<GuestSigaction>(act) : null;
        if (newAction != null && (signo == SignalNumbers.SIGKILL || signo == SignalNumbers.SIGSTOP)) return -EINVAL;
        if (oldact != 0) WriteGuest(oldact, _sigactions[signo]);
        if (newAction is { } n)
        {
            lock (_signalLock)
            {
                _sigactions[signo] = n with { Mask = n.Mask & ~Unblockable };
                // Linux discards pending instances of a signal that becomes ignored, in every thread.
                if (n.Handler == GuestSigaction.SigIgnore || (n.Handler == GuestSigaction.SigDefault && IgnoredByDefault(signo)))
                {
                    _processPending &= ~Bit(signo);
                    foreach (var t in _threads.Values) t.Pending &= ~Bit(signo);
                }
            }
            // Signals from outside reach a guest handler only through a host handler of ours.
            SyncHostRouting(signo);
            DeliverPendingSignals();
            UpdateSignalfds();
        }
        return 0;
    }

    private long SysRtSigprocmask(SyscallArgs a)
    {
        int how = (int)a.A0;
        ulong set = a.A1, oldset = a.A2;
        if (a.A3 != 8) return -EINVAL;
        ulong? newSet = set != 0 ? ReadGuestUInt64(set) : null;
        var t = CurrentThread;
        ulong old = t.BlockedMask;
        if (newSet is { } s)
        {
            if (how is not (SigBlock or SigUnblock or SigSetMask)) return -EINVAL;
            ulong mask = how == SigBlock ? old | s : how == SigUnblock ? old & ~s : s;
            lock (_signalLock) t.BlockedMask = mask & ~Unblockable;
            // A signal from outside that the guest blocks must wait here, not act in the host.
            for (ulong added = t.BlockedMask & ~old; added != 0; added &= added - 1)
                SyncHostRouting(BitOperations.TrailingZeroCount(added) + 1);
        }
        if (oldset != 0) WriteGuest(oldset, old);
        DeliverPendingSignals();
        return 0;
    }

    /// <summary>
    /// The calling thread's mask becomes <paramref name="temporary"/> for one syscall (rt_sigsuspend, and
    /// ppoll/pselect6/epoll_pwait with a sigmask); a handler entered on the way out records and restores the
    /// original, otherwise it comes back after the syscall (RestoreSuspendMask).
    /// </summary>
    internal void SetTemporaryMask(ulong temporary)
    {
        var t = CurrentThread;
        lock (_signalLock)
        {
            t.SuspendSavedMask ??= t.BlockedMask;
            t.BlockedMask = temporary & ~Unblockable;
        }
        DeliverPendingSignals();
    }

    /// <summary>
    /// The guest sigset at <paramref name="guestSet"/> (if not 0) becomes the temporary mask. Returns 0, or the
    /// error the syscall returns at once: EINVAL for a bad size, EINTR if a signal can be taken already.
    /// </summary>
    internal long SetTemporaryMaskFromGuest(ulong guestSet, ulong size)
    {
        if (guestSet == 0) return 0;
        if (size != 8) return -EINVAL;
        SetTemporaryMask(ReadGuestUInt64(guestSet));
        return HasDeliverableSignal() ? -EINTR : 0;
    }

    private long SysRtSigsuspend(SyscallArgs a)
    {
        if (a.A1 != 8) return -EINVAL;
        SetTemporaryMask(ReadGuestUInt64(a.A0));
        // Short sleeps: a host signal or a wake-up interrupts one at once; the period covers one that came just before.
        long* req = stackalloc long[2];
        while (!HasDeliverableSignal())
        {
            req[0] = 0;
            req[1] = 20_000_000;
            Host(H.Nanosleep, (long)req, 0);
        }
        return -EINTR; // the handler is entered on the way out, with the saved mask in its frame
    }

    /// <summary>After a syscall: a temporary mask ends if no handler took it over.</summary>
    private void RestoreSuspendMask()
    {
        var t = CurrentThread;
        if (t.SuspendSavedMask is not { } saved) return;
        lock (_signalLock)
        {
            t.SuspendSavedMask = null;
            t.BlockedMask = saved;
        }
    }

    /// <summary>
    /// Removes the lowest signal of <paramref name="set"/> pending for the calling thread (its own first,
    /// then the process's) and returns it with its siginfo; 0 if none.
    /// </summary>
    private int DequeueSignal(ulong set, out PendingSignalInfo info)
    {
        var t = CurrentThread;
        lock (_signalLock)
        {
            ulong own = t.Pending & set;
            if (own != 0)
            {
                int signo = BitOperations.TrailingZeroCount(own) + 1;
                t.Pending &= ~Bit(signo);
                info = t.PendingInfo[signo];
                return signo;
            }
            ulong shared = _processPending & set;
            if (shared != 0)
            {
                int signo = BitOperations.TrailingZeroCount(shared) + 1;
                _processPending &= ~Bit(signo);
                info = _processInfo[signo];
                return signo;
            }
        }
        info = default;
        return 0;
    }

    private long SysRtSigtimedwait(SyscallArgs a)
    {
        if (a.A3 != 8) return -EINVAL;
        ulong set = ReadGuestUInt64(a.A0) & ~Unblockable;
        ulong info = a.A1;
        long deadline = long.MaxValue;
        if (a.A2 != 0)
        {
            long sec = ReadGuestInt64(a.A2), nsec = ReadGuestInt64(a.A2 + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000) return -EINVAL;
            deadline = Environment.TickCount64 + sec * 1000 + nsec / 1_000_000;
        }
        long* req = stackalloc long[2];
        while (true)
        {
            TakeHostSignals();
            int signo = DequeueSignal(set, out var pending);
            if (signo != 0)
            {
                UpdateSignalfds();
                if (info != 0)
                {
                    var buffer = new byte[128];
                    BitConverter.TryWriteBytes(buffer.AsSpan(0), signo);
                    BitConverter.TryWriteBytes(buffer.AsSpan(8), pending.Code);
                    BitConverter.TryWriteBytes(buffer.AsSpan(16), pending.Pid);
                    BitConverter.TryWriteBytes(buffer.AsSpan(20), pending.Uid);
                    buffer.CopyTo(new Span<byte>(CheckedPointer(info, 128, Emu.Memory.GuestProt.Write), 128));
                }
                return signo;
            }
            if (HasDeliverableSignal()) return -EINTR;
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return -EAGAIN;
            req[0] = 0;
            req[1] = Math.Min(left, 20) * 1_000_000;
            Host(H.Nanosleep, (long)req, 0);
        }
    }

    // Syscalls Linux restarts after a handler with SA_RESTART (they return -ERESTARTSYS when interrupted).
    // Sleeps, poll/select/epoll_wait and sigsuspend are not among them: they return EINTR.
    private static bool RestartableSyscall(ulong number) => number is G.Read or G.Write or G.Readv or G.Writev
        or G.Pread64 or G.Pwrite64 or G.Wait4 or G.Waitid or G.Openat or G.Accept or G.Accept4 or G.Connect
        or G.Recvfrom or G.Recvmsg or G.Sendto or G.Sendmsg or G.Flock or G.Ioctl or G.Futex;

    // Our own waits that return EINTR only for a signal the guest takes, and rt_sigreturn, whose result is the
    // interrupted code's x0: never restarted transparently.
    private static bool ReturnsOwnEintr(ulong number) => number is G.RtSigreturn or G.RtSigsuspend or G.RtSigtimedwait
        or G.Nanosleep or G.ClockNanosleep or G.RestartSyscall;

    /// <summary>
    /// A syscall returned EINTR. If no guest handler is about to run, the host interrupt was not the guest's
    /// business (an ignored signal, the runtime's own, a wake-up for a signal that went elsewhere): Linux would
    /// not have interrupted the call, so it runs again. If the handler has SA_RESTART and the syscall is one
    /// Linux restarts, it runs again after the handler. Rewinding means: back to the SVC, x0 = first argument.
    /// </summary>
    private void PrepareRestart(CpuContext* ctx, ulong number, ulong firstArgument)
    {
        TakeHostSignals();
        DeliverPendingSignals();
        if (ReturnsOwnEintr(number)) return;
        var t = CurrentThread;
        ulong ready = (t.Pending | _processPending) & ~t.BlockedMask;
        for (int signo = 1; ready != 0 && signo <= SignalNumbers.Max; signo++)
        {
            if ((ready & Bit(signo)) == 0) continue;
            var action = _sigactions[signo];
            if (action.Handler is GuestSigaction.SigDefault or GuestSigaction.SigIgnore) continue;
            if ((action.Flags & GuestSigaction.SaRestart) == 0 || !RestartableSyscall(number)) return;
            break;
        }
        ctx->X[0] = firstArgument;
        ctx->Pc -= 4;
    }

    private long SysSigaltstack(SyscallArgs a)
    {
        const int SsAutoDisarm = 1 << 31;
        ulong ss = a.A0, oss = a.A1;
        var t = CurrentThread;
        GuestStackT? requested = ss != 0 ? ReadGuest<GuestStackT>(ss) : null;
        if (oss != 0)
        {
            var report = t.AltStack;
            ulong sp = t.Context != null ? t.Context->X[CpuContext.SpIndex] : 0;
            if (report.Flags != GuestStackT.SsDisable && sp > report.Sp && sp <= report.Sp + report.Size) report.Flags = GuestStackT.SsOnStack;
            WriteGuest(oss, report);
        }
        if (requested is { } r)
        {
            int mode = r.Flags & ~SsAutoDisarm;
            if (mode != 0 && mode != GuestStackT.SsDisable) return -EINVAL;
            if (mode == GuestStackT.SsDisable) t.AltStack = new GuestStackT { Flags = GuestStackT.SsDisable };
            else if (r.Size < GuestStackT.MinSize) return -ENOMEM;
            else t.AltStack = r with { Flags = 0 };
        }
        return 0;
    }

    /// <summary>
    /// Makes <paramref name="signo"/> pending for the process (si_code <paramref name="siCode"/>) and delivers
    /// what can be delivered now.
    /// </summary>
    public void RaiseSignal(int signo, int siCode = SiUser) =>
        Generate(null, signo, new PendingSignalInfo(siCode, (int)Host(H.Getpid), (uint)Host(H.Getuid), 0));

    /// <summary>Makes <paramref name="signo"/> pending for the calling thread only (SIGPIPE, for example).</summary>
    public void RaiseThreadSignal(int signo, int siCode = SiKernel) =>
        Generate(CurrentThread, signo, new PendingSignalInfo(siCode, 0, 0, 0));

    /// <summary>
    /// Signal generation: <paramref name="signo"/> becomes pending for <paramref name="target"/> (null: the
    /// process). Then, as Linux's complete_signal: a thread that does not block it is chosen (the target; for a
    /// process signal the calling thread first); an ignored signal is dropped, a default-fatal one kills the
    /// process, one with a handler waits for that thread's next safe point, which is woken if it is not us.
    /// </summary>
    private void Generate(GuestThread? target, int signo, PendingSignalInfo info)
    {
        var current = CurrentThread;
        GuestThread? receiver;
        lock (_signalLock)
        {
            if (target != null)
            {
                target.Pending |= Bit(signo);
                target.PendingInfo[signo] = info;
                receiver = (target.BlockedMask & Bit(signo)) == 0 ? target : null;
            }
            else
            {
                _processPending |= Bit(signo);
                _processInfo[signo] = info;
                receiver = null;
                if ((current.BlockedMask & Bit(signo)) == 0) receiver = current;
                else
                    foreach (var t in _threads.Values)
                        if ((t.BlockedMask & Bit(signo)) == 0) { receiver = t; break; }
            }
            if (receiver != null)
            {
                ulong handler = signo is SignalNumbers.SIGKILL or SignalNumbers.SIGSTOP ? GuestSigaction.SigDefault : _sigactions[signo].Handler;
                if (handler == GuestSigaction.SigIgnore || (handler == GuestSigaction.SigDefault && IgnoredByDefault(signo)))
                {
                    if (target != null) target.Pending &= ~Bit(signo);
                    else _processPending &= ~Bit(signo);
                    receiver = null;
                }
            }
        }
        UpdateSignalfds();
        if (receiver == null) return;
        if (receiver == current) DeliverPendingSignals();
        else if (_sigactions[signo].Handler == GuestSigaction.SigDefault) DeliverPendingSignals(receiver);
        else WakeThread(receiver);
    }

    /// <summary>True if a pending signal is not blocked by the calling thread (a sleep must return EINTR).</summary>
    public bool HasDeliverableSignal()
    {
        TakeHostSignals();
        DeliverPendingSignals();
        var t = CurrentThread;
        return ((t.Pending | _processPending) & ~t.BlockedMask) != 0;
    }

    /// <summary>Makes the host signals that arrived (see HostSignals) pending for the guest process.</summary>
    private void TakeHostSignals()
    {
        ulong bits = HostSignals.Take() & ~Bit(HostSignals.WakeSignal);
        for (int signo = 1; bits != 0; signo++, bits >>= 1)
            if ((bits & 1) != 0) Generate(null, signo, new PendingSignalInfo(SiUser, 0, 0, 0));
    }

    /// <summary>A block boundary with a host signal or this thread's attention flag set: enter a handler.</summary>
    public void DeliverAsyncSignals(CpuContext* ctx)
    {
        ParkIfForking();
        var t = CurrentThread;
        t.Context = ctx;
        ctx->SignalAttention = 0;
        if (HostSignals.ClearAttention() && AnyThreadWantsAttention()) HostSignals.RequestAttention();
        TakeHostSignals();
        DeliverPendingSignals();
        EnterPendingHandler(ctx);
    }

    /// <summary>
    /// Applies default actions to the signals <paramref name="thread"/> (the caller if null) can take now:
    /// ignored ones are dropped, fatal ones kill the process, stop signals stop it. Handlers are left pending.
    /// </summary>
    private void DeliverPendingSignals(GuestThread? thread = null)
    {
        var t = thread ?? CurrentThread;
        int fatal = 0;
        lock (_signalLock)
        {
            ulong ready = (t.Pending | _processPending) & ~t.BlockedMask;
            for (int signo = 1; ready != 0 && signo <= SignalNumbers.Max; signo++)
            {
                if ((ready & Bit(signo)) == 0) continue;
                ready &= ~Bit(signo);
                ulong handler = signo is SignalNumbers.SIGKILL or SignalNumbers.SIGSTOP ? GuestSigaction.SigDefault : _sigactions[signo].Handler;
                if (handler == GuestSigaction.SigIgnore || (handler == GuestSigaction.SigDefault && IgnoredByDefault(signo)))
                {
                    t.Pending &= ~Bit(signo);
                    _processPending &= ~Bit(signo);
                }
                else if (handler == GuestSigaction.SigDefault)
                {
                    t.Pending &= ~Bit(signo);
                    _processPending &= ~Bit(signo);
                    fatal = signo;
                    break;
                }
                // A guest handler: entered when the current syscall returns or at the next block end.
            }
        }
        if (fatal != 0) DieBySignal(fatal);
    }

    private static bool IgnoredByDefault(int signo) =>
        signo is SignalNumbers.SIGCHLD or SignalNumbers.SIGCONT or 23 /* SIGURG */ or SignalNumbers.SIGWINCH;

    /// <summary>
    /// The default action of <paramref name="signo"/> for this process. Stop signals stop the host process
    /// (and return when it continues); every other default action here ends it by that very signal.
    /// </summary>
    private static void DieBySignal(int signo)
    {
        if (signo is 19 or 20 or 21 or 22) // SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU
        {
            Host(H.Kill, (int)Host(H.Getpid), signo);
            return;
        }
        FatalSignal.Die(signo);
    }

    // ---- waking other threads ----

    private int _kickerRunning;
    private int _kickerPid;

    /// <summary>
    /// Tells <paramref name="t"/> a signal awaits it: its attention flag makes the dispatcher stop at the next
    /// block end, and a host WakeSignal interrupts the blocking syscall it may sit in. A wake-up that lands
    /// just before the thread enters its syscall would be lost, so a helper thread repeats it every few
    /// milliseconds for as long as the thread is in a syscall with its flag still set. The helper ends when
    /// nothing is outstanding: a managed thread alive at fork() would stall the child's garbage collector.
    /// </summary>
    private void WakeThread(GuestThread t)
    {
        if (t.Context != null) t.Context->SignalAttention = 1;
        HostSignals.RequestAttention();
        HostSignals.Wake(t.Tid);
        int pid = (int)Host(H.Getpid);
        if (Interlocked.Exchange(ref _kickerPid, pid) != pid) _kickerRunning = 0; // a fork child has no helper
        if (Interlocked.CompareExchange(ref _kickerRunning, 1, 0) == 0)
        {
            var kicker = new Thread(KickLoop) { IsBackground = true, Name = "guest signal wake-ups" };
            _kickerThread = kicker;
            kicker.Start();
        }
    }

    /// <summary>The latest wake-up helper thread and its host tid (0 until it runs): fork parks it too (ForkSafePoint.cs).</summary>
    private Thread? _kickerThread;
    private int _kickerTid;

    private void KickLoop()
    {
        Volatile.Write(ref _kickerTid, (int)Host(H.Gettid));
        while (true)
        {
            ParkIfForking();
            Thread.Sleep(2);
            if (KickOutstanding()) continue;
            Volatile.Write(ref _kickerRunning, 0);
            // A request that came after the scan: keep going unless a new helper took over.
            if (!KickOutstanding() || Interlocked.CompareExchange(ref _kickerRunning, 1, 0) != 0) return;
        }
    }

    /// <summary>True if some guest thread's attention flag is set (HostSignals.AttentionBit must stay set).</summary>
    private bool AnyThreadWantsAttention()
    {
        lock (_signalLock)
        {
            foreach (var t in _threads.Values)
                if (t.Context != null && t.Context->SignalAttention != 0) return true;
        }
        return false;
    }

    /// <summary>Re-sends the wake-up to threads still in a syscall with a signal waiting; true if any signal still waits.</summary>
    private bool KickOutstanding()
    {
        bool busy = false;
        lock (_signalLock)
        {
            foreach (var t in _threads.Values)
            {
                if (t.Context == null || t.Context->SignalAttention == 0) continue;
                if (((t.Pending | _processPending) & ~t.BlockedMask) == 0)
                {
                    t.Context->SignalAttention = 0; // another thread took it
                    continue;
                }
                busy = true;
                if (t.InSyscall != 0) HostSignals.Wake(t.Tid);
            }
        }
        return busy;
    }

    // ---- threads ----

    /// <summary>A new guest thread's state: clone gives it the creator's mask, no pending signals and no alternate stack.</summary>
    private GuestThread NewThreadState(CpuContext* ctx)
    {
        var t = new GuestThread(this, 0, CurrentThread.BlockedMask) { Context = ctx };
        return t;
    }

    /// <summary>Runs on the new thread before its first instruction.</summary>
    private void ThreadStarted(GuestThread t, int tid)
    {
        t.Tid = tid;
        t_thread = t;
        lock (_signalLock) _threads[tid] = t;
    }

    private void ThreadEnded(GuestThread t)
    {
        lock (_signalLock)
        {
            _threads.Remove(t.Tid);
            t.Context = null;
        }
    }

    /// <summary>In a fork child only the calling thread exists; it keeps its mask, pending set and altstack.</summary>
    private void ForkedSignalState()
    {
        var t = CurrentThread;
        lock (_signalLock)
        {
            _threads.Clear();
            t.Tid = (int)Host(H.Gettid);
            _threads[t.Tid] = t;
            t.Pending = 0; // Linux: the child starts with no pending signals
            _processPending = 0;
        }
        _kickerRunning = 0;
        _kickerThread = null;
    }

    /// <summary>
    /// Before execve: the host thread's mask becomes the guest thread's, so the new program (or the new
    /// translator, InheritHostSignalState) starts with it. Returns the host mask to restore if execve fails.
    /// </summary>
    private ulong ExportMaskForExec()
    {
        ulong mask = CurrentThread.BlockedMask & ~Unblockable, old = 0;
        Host(H.RtSigprocmask, SigSetMask, (long)&mask, (long)&old, 8);
        return old;
    }

    private static void RestoreHostMask(ulong old) => Host(H.RtSigprocmask, SigSetMask, (long)&old, 0, 8);
}

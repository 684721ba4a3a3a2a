using System.Runtime.InteropServices;
using Emu.Linux.Native;

namespace Emu.Linux.Signals;

/// <summary>
/// Signals from outside the guest (other processes, the terminal, timers, SIGCHLD) for which the guest has
/// a handler. A tiny native handler (x86-64 machine code, no managed code runs in signal context) sets the
/// signal's bit in <see cref="Pending"/>; the dispatcher checks that word between blocks and the syscall
/// layer after every syscall, and enters the guest handler there. The handler is installed without
/// SA_RESTART, so a blocking host syscall in the guest thread returns EINTR and the guest sees it.
/// A process-directed signal may land on a runtime thread: the stub then forwards it with tgkill to the
/// target guest thread (the one that installed the first handler), so that thread's syscall is interrupted.
/// </summary>
public static unsafe partial class HostSignals
{
    private const int SA_ONSTACK = 0x08000000;

    // [0] pending bitmask (bit n-1 = signal n), [1] low 32 bits: target tid, high 32 bits: target pid.
    private static readonly ulong* Slot = (ulong*)NativeMemory.AllocZeroed(16);
    private static nint _stub;
    private static readonly object Lock = new();
    // The host disposition each signal had before we took it over (restored when the guest lets go).
    private static readonly LibC.HostSigaction[] Original = new LibC.HostSigaction[65];
    private static readonly bool[] Taken = new bool[65];
    // Signals whose host handler is the stub now (Route is called often, for every blocked signal).
    private static readonly bool[] Routed = new bool[65];



    /// <summary>The pending word the native handler sets; nonzero means a host signal awaits delivery.</summary>
    public static ulong* Pending => Slot;

    /// <summary>
    /// True for signals that may be routed to the guest: not the synchronous faults (HostFaultHandler and
    /// the dispatcher handle those), not SIGKILL/SIGSTOP, not SIGPIPE (the syscall layer raises it itself
    /// on EPIPE), and not the real-time signals glibc and the .NET runtime reserve in the host (32-34).
    /// </summary>
    public static bool CanRoute(int signo) =>
        signo is >= 1 and <= 64 and not (4 or 5 or 7 or 8 or 11 or 9 or 19 or 13 or 32 or 33 or 34 or WakeSignal);

    /// <summary>
    /// The host signal one guest thread sends another (tgkill) to interrupt its blocking host syscall when a
    /// guest signal awaits it. Its handler does nothing: the interrupted syscall returns EINTR and the
    /// Linux layer looks at the thread's pending signals. Not available to the guest's own routing.
    /// </summary>
    public const int WakeSignal = 63;

    private static nint _wakeStub;

    /// <summary>Installs the handler of <see cref="WakeSignal"/> (once per process; kept across fork).</summary>
    public static void InstallWake()
    {
        lock (Lock)
        {
            if (_wakeStub != 0) return;
            nint page = LibC.Mmap(0, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
            if (page == LibC.MAP_FAILED) return;
            Marshal.WriteByte(page, 0xC3); // ret
            LibC.Mprotect(page, 4096, LibC.PROT_READ | LibC.PROT_EXEC);
            var act = default(LibC.HostSigaction);
            act.Handler = page;
            act.Flags = SA_ONSTACK; // no SA_RESTART: the point is the EINTR
            if (LibC.Sigaction(WakeSignal, &act, null) == 0) _wakeStub = page;
        }
    }

    /// <summary>Interrupts host thread <paramref name="tid"/> of this process if it sits in a blocking syscall.</summary>
    public static void Wake(int tid)
    {
        if (_wakeStub == 0) InstallWake();
        LibC.SyscallRaw(HostSyscall.Tgkill, LibC.SyscallRaw(HostSyscall.Getpid), tid, WakeSignal);
    }

    /// <summary>Sends host <paramref name="signo"/> to the guest from now on.</summary>
    public static void Route(int signo)
    {
        if (!CanRoute(signo) || Volatile.Read(ref Routed[signo])) return;
        lock (Lock)
        {
            if (_stub == 0) _stub = BuildStub();
            if (_stub == 0) return;
            if (Slot[1] == 0) SetTargetThread();
            var act = default(LibC.HostSigaction);
            act.Handler = _stub;
            act.Flags = SA_ONSTACK; // no SA_RESTART: blocking syscalls return EINTR
            LibC.HostSigaction old;
            if (LibC.Sigaction(signo, &act, &old) != 0) return;
            if (!Taken[signo]) Original[signo] = old;
            Taken[signo] = true;
            Routed[signo] = true;
        }
    }

    /// <summary>Gives <paramref name="signo"/> back to its host disposition from before <see cref="Route"/>.</summary>
    public static void Unroute(int signo)
    {
        if (signo < 1 || signo > 64) return;
        lock (Lock)
        {
            if (!Taken[signo]) return;
            var old = Original[signo];
            LibC.Sigaction(signo, &old, null);
            Taken[signo] = false;
            Routed[signo] = false;
        }
    }

    /// <summary>Ignores <paramref name="signo"/> in the host too (the guest set SIG_IGN).</summary>
    public static void Ignore(int signo)
    {
        if (!CanRoute(signo) || signo == 17 /* SIGCHLD: SIG_IGN would auto-reap the runtime's children */) return;
        lock (Lock)
        {
            var act = default(LibC.HostSigaction);
            act.Handler = 1; // SIG_IGN
            LibC.HostSigaction old;
            if (LibC.Sigaction(signo, &act, &old) != 0) return;
            if (!Taken[signo]) Original[signo] = old;
            Taken[signo] = true;
            Routed[signo] = false;
        }
    }

    /// <summary>Forgets that <paramref name="signo"/> is routed (something else replaced its host handler).</summary>
    public static void MarkUnrouted(int signo)
    {
        if (signo is >= 1 and <= 64) Volatile.Write(ref Routed[signo], false);
    }

    /// <summary>Makes the calling thread the one process-directed signals are forwarded to (also after fork).</summary>
    public static void SetTargetThread()
    {
        ulong tid = (ulong)LibC.SyscallRaw(HostSyscall.Gettid);
        ulong pid = (ulong)LibC.SyscallRaw(HostSyscall.Getpid);
        Slot[1] = tid | (pid << 32);
    }

    /// <summary>
    /// The bit of <see cref="WakeSignal"/> (never routed, so the native handler never sets it) in the pending
    /// word: set while some guest thread's CpuContext.SignalAttention may be set. Translated loops then check
    /// the one process-wide word instead of two; a thread that finds only this bit clears it if no thread
    /// needs it any more (<see cref="ClearAttention"/>).
    /// </summary>
    public const ulong AttentionBit = 1UL << (WakeSignal - 1);

    /// <summary>Tells running translated code to stop at its next check; call after setting a thread's SignalAttention.</summary>
    public static void RequestAttention() => Interlocked.Or(ref *Slot, AttentionBit);

    /// <summary>
    /// Clears <see cref="AttentionBit"/> if set; true if it was. The caller then scans the threads' attention
    /// flags and requests attention again if one is set: clear-then-scan pairs with set-flag-then-set-bit in
    /// <see cref="RequestAttention"/>'s callers, so a request made meanwhile is never lost.
    /// </summary>
    public static bool ClearAttention() => (*Slot & AttentionBit) != 0 && (Interlocked.And(ref *Slot, ~AttentionBit) & AttentionBit) != 0;

    /// <summary>Takes the signals that arrived since the last call (bit n-1 = signal n); leaves <see cref="AttentionBit"/>.</summary>
    public static ulong Take() => (*Slot & ~AttentionBit) == 0 ? 0 : Interlocked.And(ref *Slot, AttentionBit) & ~AttentionBit;

    private static nint BuildStub()
    {
        var code = new NativeStubBuilder();
        // void handler(int signo): edi = signo
        code.Bytes(0x8D, 0x47, 0xFF);                   // lea eax, [rdi-1]
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)Slot);     // mov r11, slot
        code.Bytes(0xF0, 0x49, 0x0F, 0xAB, 0x03);       // lock bts [r11], rax     ; mark pending
        code.Bytes(0x57);                               // push rdi
        code.Bytes(0xB8, 0xBA, 0x00, 0x00, 0x00);       // mov eax, 186 (gettid)
        code.Bytes(0x0F, 0x05);                         // syscall
        code.Bytes(0x49, 0xBB); code.Imm64((ulong)Slot);     // mov r11, slot
        code.Bytes(0x41, 0x3B, 0x43, 0x08);             // cmp eax, [r11+8]        ; on the target thread?
        code.Bytes(0x74, 0x15);                         // je done
        code.Bytes(0x41, 0x8B, 0x73, 0x08);             // mov esi, [r11+8]        ; tid
        code.Bytes(0x41, 0x8B, 0x7B, 0x0C);             // mov edi, [r11+12]       ; pid
        code.Bytes(0x85, 0xF6);                         // test esi, esi
        code.Bytes(0x74, 0x09);                         // jz done
        code.Bytes(0x5A);                               // pop rdx                 ; signo
        code.Bytes(0xB8, 0xEA, 0x00, 0x00, 0x00);       // mov eax, 234 (tgkill)
        code.Bytes(0x0F, 0x05);                         // syscall
        code.Bytes(0xC3);                               // ret
        // done:
        code.Bytes(0x5F);                               // pop rdi
        code.Bytes(0xC3);                               // ret

        return code.Install();
    }
}

using System.Runtime.CompilerServices;
using Emu.Cpu;
using Emu.Jit;
using Emu.Linux.Signals;
using Emu.Memory;

namespace Emu.Linux;

/// <summary>Settings of the guest process that come from the command line.</summary>
public sealed class ProcessOptions
{
    /// <summary>-L: guest root prefix for absolute paths (null: none).</summary>
    public string? SysRoot { get; set; }
    /// <summary>Absolute host path of the guest executable (for /proc/self/exe, AT_EXECFN).</summary>
    public string ExecutablePath { get; set; } = "";
    /// <summary>The program path as execve was given it (its last part is the process name); null: <see cref="ExecutablePath"/>.</summary>
    public string? ProgramPath { get; set; }
    /// <summary>-strace output (null: off).</summary>
    public TextWriter? Strace { get; set; }
}

/// <summary>
/// The guest process as the Linux layer sees it: its address space, program break, and the handler for
/// every non-jump exit of translated code (syscalls, undefined instructions, breakpoints, faults).
/// Syscall handlers live in one partial file per topic (FileSyscalls.cs, MemorySyscalls.cs, ...).
/// </summary>
public sealed unsafe partial class GuestProcess : IGuestEnvironment
{
    public GuestMemory Memory { get; }
    public ProcessOptions Options { get; }
    public PathResolver Paths { get; }

    /// <summary>Start of the heap (end of the loaded program's bss, page-aligned) and the current break.</summary>
    public ulong BrkStart { get; private set; }
    public ulong BrkCurrent { get; private set; }

    /// <summary>Where the message for a fatal signal goes (stderr unless a test redirects it).</summary>
    public TextWriter ErrorOutput
    {
        // Console.Error made at first use: setting up the console costs a few ms and JIT compiles at start-up.
        get => _errorOutput ??= Console.Error;
        set => _errorOutput = value;
    }

    private TextWriter? _errorOutput;

    public GuestProcess(GuestMemory memory, ProcessOptions options)
    {
        Memory = memory;
        Options = options;
        Paths = new PathResolver(options.SysRoot, options.ExecutablePath);
        _syscalls = new SyscallEntry?[GuestSyscall.Count];
        RegisterFileSyscalls();
        RegisterMemorySyscalls();
        RegisterProcessSyscalls();
        RegisterTimeSyscalls();
        RegisterSignalSyscalls();
        RegisterSignalfdSyscalls();
        RegisterSignalTimerSyscalls();
        RegisterSystemInfoSyscalls();
        RegisterSyncSyscalls();
        RegisterEpollSyscalls();
        RegisterNetworkSyscalls();
        RegisterThreadSyscalls();
        RegisterExecSyscalls();
        RegisterSignalDelivery();
        RegisterTopicSyscalls();
        SetProcessName();
    }

    /// <summary>
    /// The calling (main) thread's name, which /proc/self/comm and the Name of /proc/self/status show, is the
    /// program's, as Linux sets it at execve (the host set it to the translator's, or "exe" after a re-exec).
    /// </summary>
    private void SetProcessName()
    {
        string name = Path.GetFileName(Options.ProgramPath ?? Options.ExecutablePath);
        if (name.Length == 0) return;
        var bytes = new byte[16]; // TASK_COMM_LEN: longer names are cut, as Linux does
        var full = System.Text.Encoding.UTF8.GetBytes(name);
        Array.Copy(full, bytes, Math.Min(15, full.Length));
        fixed (byte* b = bytes) Native.LibC.SyscallRaw(Native.HostSyscall.Prctl, 15 /* PR_SET_NAME */, (long)b);
    }

    /// <summary>Called by the loader once the program is mapped.</summary>
    public void InitBrk(ulong start)
    {
        BrkStart = start;
        BrkCurrent = start;
        _brkMappedEnd = GuestMemory.PageAlignUp(start);
    }

    public int? HandleExit(CpuContext* ctx)
    {
        switch (ctx->Exit)
        {
            case ExitReason.Syscall:
                return DoSyscall(ctx);
            case ExitReason.Undefined:
                {
                    ulong pc = ctx->Pc;
                    uint word = Memory.IsAccessible(pc, 4, GuestProt.Read) || Memory.IsAccessible(pc, 4, GuestProt.Exec) ? Unsafe.ReadUnaligned<uint>(Memory.HostPointer(pc)) : 0;
                    return DeliverSynchronousSignal(ctx, SignalNumbers.SIGILL, IllIllopc, pc, $"illegal instruction 0x{word:x8} at pc 0x{pc:x}");
                }
            case ExitReason.Trap:
                return DeliverSynchronousSignal(ctx, SignalNumbers.SIGILL, IllIllopc, ctx->Pc, $"illegal instruction (trap) at pc 0x{ctx->Pc:x}");
            case ExitReason.Breakpoint:
                return DeliverSynchronousSignal(ctx, SignalNumbers.SIGTRAP, TrapBrkpt, ctx->Pc, $"breakpoint (brk #0x{ctx->ExitInfo:x}) at pc 0x{ctx->Pc:x}");
            case ExitReason.FetchFault:
                return DeliverSynchronousSignal(ctx, SignalNumbers.SIGSEGV, SegvCode(ctx->Pc), ctx->Pc, $"segmentation fault: cannot execute at pc 0x{ctx->Pc:x}");
            case ExitReason.MemoryFault when (ctx->FaultCode & HostFaultHandler.BusFlag) != 0:
                return DeliverSynchronousSignal(ctx, SignalNumbers.SIGBUS, ctx->FaultCode & 0xff, ctx->FaultAddress,
                    $"bus error at address 0x{ctx->FaultAddress:x} at pc 0x{ctx->Pc:x}");
            case ExitReason.MemoryFault:
                {
                    int code = SegvCode(ctx->FaultAddress);
                    return DeliverSynchronousSignal(ctx, SignalNumbers.SIGSEGV, code, ctx->FaultAddress,
                        $"segmentation fault: {(code == SegvAccerr ? "access to protected" : "unmapped")} address 0x{ctx->FaultAddress:x} at pc 0x{ctx->Pc:x}");
                }
            default:
                return null;
        }
    }

    private const int IllIllopc = 1, TrapBrkpt = 1, SegvMaperr = 1, SegvAccerr = 2;

    // SEGV_MAPERR when nothing is mapped at the address, SEGV_ACCERR when a mapping forbids the access.
    private int SegvCode(ulong address) => Memory.FindRegion(address) != null ? SegvAccerr : SegvMaperr;

    /// <summary>
    /// The signal that ended the guest (set when <see cref="HandleExit"/> returned 128 + it), so the
    /// command line can die of it for real (Signals.FatalSignal.Die) and the parent sees WTERMSIG.
    /// </summary>
    public int? TerminatingSignal { get; private set; }

    /// <summary>
    /// A synchronous signal the guest caused. Until guest signal handlers are delivered, every such signal
    /// is fatal: print why and return the shell's status for death by that signal (128 + signo).
    /// </summary>
    public int DeliverFatalSignal(CpuContext* ctx, int signo, string message)
    {
        _ = ctx; // The context becomes the signal frame once delivery exists.
        ErrorOutput.WriteLine($"emu-aarch64: {message}");
        ErrorOutput.Flush();
        TerminatingSignal = signo;
        // With other threads running, ending only this one would be wrong: the whole process dies.
        if (LiveThreads > 1 || IsForkedChild) FatalSignal.Die(signo);
        return 128 + signo;
    }
}
